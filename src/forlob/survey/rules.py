"""Rules of the satisfaction survey (issue 4 item 12): anonymity by month, and disclosure of
the aggregated answers. Pure functions: dates and counts in, answers out; callers pass `today`.

Small-cell suppression. Answers are shown only as counts per provider and period, and a
count drawn from fewer than `MIN_RESPONSES` (5) answers is hidden: with so few respondents a
clinician who knows whom they discharged could guess who answered what. The rule is applied
twice: when the period has fewer than 5 responses in all, every count is hidden (and the number
of responses is shown as "<5"); otherwise each question whose answers number fewer than 5 has
its counts hidden. A hidden table says so. Zero responses hide nothing, as there is nothing to
hide. Free-text comments are shown only when the period is not suppressed, and only to the
provider's own clinicians. The threshold is the one the project uses for every published
aggregate (portal.rules.SMALL_CELL_LIMIT: Danmarks Statistik's and Sundhedsdatastyrelsen's
primary suppression of cells under 5).
"""

import datetime as dt
import re
import secrets

from forlob.portal.rules import SMALL_CELL_LIMIT

MIN_RESPONSES = SMALL_CELL_LIMIT
#: Crockford's base32 alphabet: no I, L, O or U, so a code read from paper is typed correctly.
TOKEN_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
TOKEN_LENGTH = 25  # 125 random bits: not guessable, and short enough to type from paper
_TOKEN_RE = re.compile(rf"[{TOKEN_ALPHABET}]{{{TOKEN_LENGTH}}}")
DEFAULT_PERIOD_MONTHS = 12


def new_token() -> str:
    """A fresh random invitation token (secrets: cryptographically strong)."""
    return "".join(secrets.choice(TOKEN_ALPHABET) for _ in range(TOKEN_LENGTH))


def normalise_token(text: str) -> str | None:
    """The token typed or followed by a citizen or staff member, without spaces and hyphens,
    in capitals, with the letters easily misread as digits read as digits; None if it cannot
    be a token."""
    if not isinstance(text, str):
        return None
    cleaned = re.sub(r"[\s-]", "", text).upper().translate(str.maketrans("ILO", "110"))
    return cleaned if _TOKEN_RE.fullmatch(cleaned) else None


def grouped(token: str, size: int = 5) -> str:
    """A token in groups of five for reading aloud and typing, e.g. ABCDE-FGHJK-..."""
    return "-".join(token[i:i + size] for i in range(0, len(token), size))


def month_of(day: dt.date) -> dt.date:
    """Invitations and responses keep only the month (its first day), never the day or time,
    so that an answer cannot be lined up against the day a citizen was discharged."""
    return day.replace(day=1)


def parse_month(text: str | None) -> dt.date | None:
    """'2026-06' -> 1 June 2026; anything else -> None."""
    if not text or not re.fullmatch(r"\d{4}-\d{2}", text):
        return None
    year, month = int(text[:4]), int(text[5:])
    if not (1 <= month <= 12 and 2000 <= year <= 9999):
        return None
    return dt.date(year, month, 1)


def default_period(today: dt.date, months: int = DEFAULT_PERIOD_MONTHS):
    """The last `months` months including the current one: (first month, last month)."""
    last = month_of(today)
    index = last.year * 12 + last.month - 1 - (months - 1)
    return dt.date(index // 12, index % 12 + 1, 1), last


def period(today: dt.date, start: str | None, end: str | None):
    """The period asked for (months as 'YYYY-MM'), or the default for what is missing or
    invalid; a reversed period is turned around. Returns (first month, last month)."""
    default_start, default_end = default_period(today)
    first = parse_month(start) or default_start
    last = parse_month(end) or default_end
    return (first, last) if first <= last else (last, first)


def suppressed(count: int, limit: int = MIN_RESPONSES) -> bool:
    """True when a count based on `count` answers must be hidden (1 to limit-1)."""
    return 0 < count < limit


def distribution(values, scale, total_responses: int, limit: int = MIN_RESPONSES) -> dict:
    """The counts of one question's answers over its scale.

    `values`: the scale values given (unanswered left out); `scale`: ((value, label), ...).
    Returns {"answered", "hidden", "rows": [(value, label, count or None)]}: counts are None
    when the period or the question has too few answers to show (module docstring)."""
    values = list(values)
    answered = len(values)
    hidden = suppressed(total_responses, limit) or suppressed(answered, limit)
    rows = [(value, label, None if hidden else values.count(value)) for value, label in scale]
    return {"answered": None if hidden else answered, "hidden": hidden, "rows": rows}
