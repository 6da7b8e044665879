"""Survey rules (issue 4 item 12): tokens, month granularity, periods and small-cell
suppression."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from forlob.survey import questionnaire, rules

D = dt.date


def test_new_tokens_are_long_random_and_normalise_to_themselves():
    tokens = {rules.new_token() for _ in range(200)}
    assert len(tokens) == 200
    for token in tokens:
        assert len(token) == rules.TOKEN_LENGTH == 25
        assert rules.normalise_token(token) == token
        assert rules.normalise_token(rules.grouped(token).lower()) == token


def test_misread_letters_and_junk():
    token = "0123456789ABCDEFGHJKMNPQR"
    typed = "o123-4567 89abc-DEFGH-jkmnp-qr".replace("1", "l", 1)
    assert rules.normalise_token(typed) == token
    for junk in ("", "ukendt-token", "A" * 24, "A" * 26, "U" * 25, None, 12345):
        assert rules.normalise_token(junk) is None


@given(st.text(max_size=60))
def test_normalise_never_raises(text):
    result = rules.normalise_token(text)
    assert result is None or len(result) == 25


@given(st.dates())
def test_month_of_keeps_only_the_month(day):
    month = rules.month_of(day)
    assert month.day == 1 and (month.year, month.month) == (day.year, day.month)


def test_parse_month():
    assert rules.parse_month("2026-06") == D(2026, 6, 1)
    for bad in ("2026-13", "2026-00", "26-06", "2026-6", "", None, "1999-12", "2026-06-01"):
        assert rules.parse_month(bad) is None


def test_default_period_is_last_twelve_months_across_the_new_year():
    assert rules.default_period(D(2026, 6, 15)) == (D(2025, 7, 1), D(2026, 6, 1))
    assert rules.default_period(D(2026, 1, 31)) == (D(2025, 2, 1), D(2026, 1, 1))
    assert rules.default_period(D(2026, 12, 1)) == (D(2026, 1, 1), D(2026, 12, 1))


def test_period_uses_given_months_and_turns_a_reversed_one_around():
    today = D(2026, 6, 15)
    assert rules.period(today, "2026-01", "2026-03") == (D(2026, 1, 1), D(2026, 3, 1))
    assert rules.period(today, "2026-03", "2026-01") == (D(2026, 1, 1), D(2026, 3, 1))
    assert rules.period(today, "x", None) == rules.default_period(today)


def test_suppression_threshold_is_five():
    assert rules.MIN_RESPONSES == 5
    assert [rules.suppressed(n) for n in range(7)] == [False, True, True, True, True, False,
                                                       False]


SCALE = questionnaire.SATISFACTION


def test_distribution_shows_counts_from_five_answers():
    result = rules.distribution([1, 1, 2, 5, 3], SCALE, total_responses=5)
    assert result["hidden"] is False and result["answered"] == 5
    assert [c for _v, _l, c in result["rows"]] == [2, 1, 1, 0, 1]


def test_distribution_hides_everything_under_five_responses():
    result = rules.distribution([1, 2, 3, 4], SCALE, total_responses=4)
    assert result["hidden"] is True and result["answered"] is None
    assert all(c is None for _v, _l, c in result["rows"])


def test_distribution_hides_a_question_few_answered():
    result = rules.distribution([1, 2], SCALE, total_responses=9)
    assert result["hidden"] is True and all(c is None for *_x, c in result["rows"])


def test_no_responses_hide_nothing():
    result = rules.distribution([], SCALE, total_responses=0)
    assert result["hidden"] is False and all(c == 0 for *_x, c in result["rows"])


@given(st.lists(st.integers(1, 5), max_size=30), st.integers(0, 40))
def test_distribution_never_shows_a_count_from_fewer_than_five(values, extra):
    total = len(values) + extra
    result = rules.distribution(values, SCALE, total)
    shown = [c for *_x, c in result["rows"] if c is not None]
    if shown and (len(values) or total):
        assert total >= 5 or total == 0
        assert len(values) >= 5 or len(values) == 0
        assert sum(shown) == len(values)


def test_questionnaire_follows_bilag_8():
    q = questionnaire.CURRENT
    assert [x.key for x in q.questions] == ["acute", "waiting", "treatment", "influence",
                                            "contact", "information", "comments"]
    assert all(len(x.scale) == 5 for x in q.scaled)
    assert q.question("comments").is_text
    assert str(dict(questionnaire.SATISFACTION)[1]) == "Strålende, kunne ikke være bedre"
    assert questionnaire.get(1) is q and questionnaire.get(99) is None
