"""Rules about the CPR number (CPR-loven; CPR-kontorets beregningsregler).

Pure functions: text in, facts out. No database, no clock.
"""

import datetime as dt
import re
from dataclasses import dataclass

# ASCII digits only: "\d" would also match e.g. full-width digits, which int() accepts, so the
# same number could be stored twice under different blind indexes.
_CPR_RE = re.compile(r"^\s*(\d{2})(\d{2})(\d{2})[-\s]?(\d{4})\s*$", re.ASCII)
_MOD11_WEIGHTS = (4, 3, 2, 7, 6, 5, 4, 3, 2, 1)


class InvalidCpr(ValueError):
    """The text is not a CPR number."""


@dataclass(frozen=True)
class CprFacts:
    number: str  # ten digits, no separator
    birth_date: dt.date
    sex: str  # "M" or "F"
    passes_modulus11: bool


def century(seventh_digit: int, year2: int) -> int:
    """The birth century from the 7th digit and the two-digit year.

    Source: CPR-kontoret, "Personnummeret i CPR-systemet" (the century table):
    digit 0-3: 1900s; 4 and 9: 2000s when year <= 36, else 1900s;
    5-8: 2000s when year <= 57, else 1800s.
    """
    if seventh_digit <= 3:
        return 1900
    if seventh_digit in (4, 9):
        return 2000 if year2 <= 36 else 1900
    return 2000 if year2 <= 57 else 1800


def passes_modulus11(number: str) -> bool:
    """The classic modulus-11 check. Since 2007 not every valid number passes it
    (CPR-kontoret, "Personnumre uden kontrolciffer"), so it is reported, not required."""
    return sum(int(d) * w for d, w in zip(number, _MOD11_WEIGHTS, strict=True)) % 11 == 0


def parse_cpr(text: str) -> CprFacts:
    """Validate a CPR number: a real birth date plus four serial digits (CPR-loven § 3).

    Accepts "DDMMYYSSSS", "DDMMYY-SSSS" or "DDMMYY SSSS". Raises InvalidCpr otherwise.
    Numbers that fail modulus 11 are accepted (issued since 1 October 2007).
    """
    match = _CPR_RE.match(text or "")
    if not match:
        raise InvalidCpr("format")
    day, month, year2, serial = match.groups()
    year = century(int(serial[0]), int(year2)) + int(year2)
    try:
        birth = dt.date(year, int(month), int(day))
    except ValueError as exc:
        raise InvalidCpr("date") from exc
    number = f"{day}{month}{year2}{serial}"
    return CprFacts(
        number=number,
        birth_date=birth,
        sex="M" if int(serial[-1]) % 2 else "F",
        passes_modulus11=passes_modulus11(number),
    )


def mask(number: str) -> str:
    """Masked display: the birth date part only, e.g. 010180-****."""
    return f"{number[:6]}-****"


def looks_like_cpr(text: str) -> bool:
    """True when a search text has the shape of a CPR number (so it must not go in a URL)."""
    return bool(_CPR_RE.match(text or ""))


CPR_ANYWHERE = re.compile(r"(?<!\d)(\d{6})[-\s]?(\d{4})(?!\d)")


def redact(text: str) -> str:
    """Replace anything shaped like a CPR number in free text (logs) with a placeholder."""
    return CPR_ANYWHERE.sub("[CPR]", text)
