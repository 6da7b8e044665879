"""The injected clock.

Rules never ask for the date themselves: callers pass `clock.today()` in. Tests and the demo can
pin the date with the FORLOB_TODAY setting, or move it with `clock.frozen(date)`.
"""

import contextlib
import contextvars
import datetime as dt

from django.conf import settings
from django.utils import timezone

_override: contextvars.ContextVar[dt.date | None] = contextvars.ContextVar(
    "forlob_today", default=None
)


def today() -> dt.date:
    """Today's date in Copenhagen, or the pinned date."""
    pinned = _override.get()
    if pinned is not None:
        return pinned
    if settings.FORLOB_TODAY:
        return dt.date.fromisoformat(settings.FORLOB_TODAY)
    return timezone.localdate()


def now() -> dt.datetime:
    """The current moment; on a pinned day, that day at the current wall-clock time."""
    real = timezone.localtime()
    pinned = today()
    if pinned == real.date():
        return real
    return real.replace(year=pinned.year, month=pinned.month, day=pinned.day)


@contextlib.contextmanager
def frozen(day: dt.date):
    """Pin today() to `day` inside the block (tests)."""
    token = _override.set(day)
    try:
        yield
    finally:
        _override.reset(token)
