"""CPR number rules (citizens/rules.py): pure functions, tested by cases and by properties.

Source: CPR-kontoret, "Personnummeret i CPR-systemet" - the century table for the 7th digit, and
"Personnumre uden kontrolciffer" (numbers issued since 2007 need not pass modulus 11).
"""

import datetime as dt

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from forlob.citizens.rules import (
    CPR_ANYWHERE,
    InvalidCpr,
    century,
    looks_like_cpr,
    mask,
    parse_cpr,
    passes_modulus11,
    redact,
)


def cpr(day: dt.date, serial: int, sep: str = "") -> str:
    return f"{day:%d%m%y}{sep}{serial:04d}"


# --- Dates -----------------------------------------------------------------------------------

@pytest.mark.parametrize("text, born", [
    ("0101801234", dt.date(1980, 1, 1)),
    ("010180-1234", dt.date(1980, 1, 1)),
    ("010180 1234", dt.date(1980, 1, 1)),
    (" 3112991234 ", dt.date(1999, 12, 31)),
    ("3112994234", dt.date(1999, 12, 31)),
    ("0101005234", dt.date(2000, 1, 1)),
])
def test_valid_numbers_give_the_birth_date(text, born):
    assert parse_cpr(text).birth_date == born


@pytest.mark.parametrize("text, born", [
    ("2902804321", dt.date(1980, 2, 29)),  # 1980 leap year
    ("2902004321", dt.date(2000, 2, 29)),  # 7th digit 4, year 00 -> 2000, a leap year
    ("2902969321", dt.date(1996, 2, 29)),  # 7th digit 9, year 96 -> 1996
    ("2902085321", dt.date(2008, 2, 29)),
    ("2902605321", dt.date(1860, 2, 29)),  # 7th digit 5, year 60 -> 1860
])
def test_leap_days_are_accepted(text, born):
    assert parse_cpr(text).birth_date == born


@pytest.mark.parametrize("text", [
    "3002801234",  # 30 February
    "3102801234",  # 31 February
    "3104801234",  # 31 April
    "3106801234",  # 31 June
    "3109801234",  # 31 September
    "3111801234",  # 31 November
    "2902811234",  # 29 February 1981
    "2902011234",  # 7th digit 1 -> 1901, no leap day
    "2902001234",  # 7th digit 1 -> 1900, not a leap year
    "2902585234",  # 7th digit 5, year 58 -> 1858, not a leap year
    "0001801234",  # day 0
    "3200801234",  # month 0
    "0113801234",  # month 13
])
def test_impossible_dates_are_rejected(text):
    with pytest.raises(InvalidCpr) as exc:
        parse_cpr(text)
    assert str(exc.value) == "date"


@pytest.mark.parametrize("text", [
    "", "   ", "abc", "010180", "010180-123", "010180-12345", "01018012345", "010180--1234",
    "010180/1234", "01-01-80-1234", "o10180-1234", "0101801234x", "x0101801234",
    "010180_1234", "０１０１８０１２３４",  # full-width digits
    "010180\n1234x",
])
def test_garbage_is_rejected(text):
    with pytest.raises(InvalidCpr):
        parse_cpr(text)
    assert not looks_like_cpr(text)


def test_none_is_rejected():
    with pytest.raises(InvalidCpr):
        parse_cpr(None)


# --- The century table (7th digit) -------------------------------------------------------------

@pytest.mark.parametrize("digit, year2, expected", [
    # 0-3: always 1900s
    (0, 0, 1900), (0, 99, 1900), (1, 36, 1900), (2, 57, 1900), (3, 58, 1900), (3, 99, 1900),
    # 4 and 9: 2000s for 00-36, 1900s for 37-99
    (4, 0, 2000), (4, 36, 2000), (4, 37, 1900), (4, 99, 1900),
    (9, 0, 2000), (9, 36, 2000), (9, 37, 1900), (9, 99, 1900),
    # 5-8: 2000s for 00-57, 1800s for 58-99
    (5, 0, 2000), (5, 57, 2000), (5, 58, 1800), (5, 99, 1800),
    (6, 57, 2000), (6, 58, 1800), (7, 10, 2000), (7, 80, 1800), (8, 57, 2000), (8, 58, 1800),
])
def test_century_table(digit, year2, expected):
    assert century(digit, year2) == expected


@pytest.mark.parametrize("text, year", [
    ("0101370123", 1937), ("0101364123", 2036), ("0101374123", 1937), ("0101369123", 2036),
    ("0101379123", 1937), ("0101575123", 2057), ("0101585123", 1858), ("0101998123", 1899),
    ("0101003123", 1900),
])
def test_century_decides_the_birth_year(text, year):
    assert parse_cpr(text).birth_date.year == year


# --- Modulus 11 and sex --------------------------------------------------------------------

def test_modulus11_passing_and_failing_numbers_are_both_valid():
    good = "0707614285"  # 0*4+7*3+0*2+7*7+6*6+1*5+4*4+2*3+8*2+5*1 = 154 = 14*11
    assert passes_modulus11(good)
    assert parse_cpr(good).passes_modulus11 is True
    bad = "0707614286"
    assert not passes_modulus11(bad)
    facts = parse_cpr(bad)  # issued since 2007 without a control digit: still a CPR number
    assert facts.passes_modulus11 is False
    assert facts.birth_date == dt.date(1961, 7, 7)


def test_sex_from_the_last_digit():
    assert parse_cpr("0101801231").sex == "M"
    assert parse_cpr("0101801232").sex == "F"


def test_number_is_normalised_without_separator():
    assert parse_cpr(" 010180-1234 ").number == "0101801234"
    assert parse_cpr("010180 1234").number == "0101801234"


# --- Masking and redaction -----------------------------------------------------------------

def test_mask_shows_only_the_birth_date_part():
    assert mask("0101801234") == "010180-****"
    assert "1234" not in mask("0101801234")


@pytest.mark.parametrize("text", [
    "Borger 010180-1234 kom i dag",
    "cpr=0101801234&x=1",
    "010180 1234",
    "(0101801234)",
    "navn: Jens, cpr: 010180-1234, igen 0202802345.",
])
def test_redact_removes_cpr_shaped_numbers(text):
    cleaned = redact(text)
    assert "1234" not in cleaned and "2345" not in cleaned
    assert "[CPR]" in cleaned
    assert not CPR_ANYWHERE.search(cleaned)


def test_redact_leaves_other_numbers_alone():
    text = "Sag 12345, telefon 12 34 56 78, beløb 1.234.567, år 2026, 123456789012"
    assert redact(text) == text


# --- Properties --------------------------------------------------------------------------------

def serials_for(day: dt.date) -> st.SearchStrategy[int]:
    """Serial numbers whose 7th digit puts `day` in its own century (the century table)."""
    y = day.year % 100
    if day.year < 1900:
        digits = [5, 6, 7, 8] if y >= 58 else []
    elif day.year < 2000:
        digits = [0, 1, 2, 3] + ([4, 9] if y >= 37 else [])
    else:
        digits = ([4, 9] if y <= 36 else []) + ([5, 6, 7, 8] if y <= 57 else [])
    assume(digits)
    return st.sampled_from(digits).flatmap(
        lambda d: st.integers(0, 999).map(lambda rest: d * 1000 + rest)
    )


dates = st.dates(min_value=dt.date(1858, 1, 1), max_value=dt.date(2057, 12, 31))


@given(st.data(), dates, st.sampled_from(["", "-", " "]))
def test_round_trip_of_birth_date(data, day, sep):
    serial = data.draw(serials_for(day))
    text = cpr(day, serial, sep)
    facts = parse_cpr(text)
    assert facts.birth_date == day
    assert facts.number == cpr(day, serial)
    assert facts.sex == ("M" if serial % 2 else "F")
    assert looks_like_cpr(text)
    assert mask(facts.number) == f"{day:%d%m%y}-****"


@given(dates, st.integers(0, 9999))
def test_every_date_and_serial_is_either_its_date_or_another_real_one(day, serial):
    """Whatever the serial, parsing never invents an impossible date: it either fails or gives
    a real date with the same day, month and two-digit year."""
    try:
        facts = parse_cpr(cpr(day, serial))
    except InvalidCpr:
        assert (day.month, day.day) == (2, 29)  # only a leap day can fail in another century
        return
    born = facts.birth_date
    assert (born.day, born.month, born.year % 100) == (day.day, day.month, day.year % 100)
    assert born.year - born.year % 100 == century(serial // 1000, day.year % 100)


@given(st.text(alphabet="0123456789 -abc\n", max_size=60))
def test_redacted_text_holds_no_cpr_shaped_number(text):
    assert not CPR_ANYWHERE.search(redact(text))


@given(st.lists(st.one_of(
    st.text(alphabet="abc ,.:;()æøå", max_size=8),
    st.builds(cpr, dates, st.integers(0, 9999), st.sampled_from(["", "-", " "])),
), max_size=6))
def test_redact_removes_every_embedded_cpr(pieces):
    text = " ".join(pieces)
    cleaned = redact(text)
    for piece in pieces:
        if looks_like_cpr(piece) and piece.strip():
            assert piece not in cleaned
