"""The selection every indicator is computed for (issue 5): period, track, municipality,
provider, cluster, sex and age group. Plain values; the dashboard form builds one."""

import datetime as dt
from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class Filters:
    """`municipalities` is always set by the caller from the user's scope (access.py): the
    engine never widens it. The other fields narrow the selection; None means all."""

    start: dt.date
    end: dt.date
    municipalities: frozenset[int] = field(default_factory=frozenset)
    track: str | None = None  # "sel101", "sel101a", "sul141", "sul142" or "youth"
    provider: int | None = None
    cluster: int | None = None
    sex: str | None = None  # "M", "F" or "" (not stated)
    age_group: str | None = None  # rules.AGE_GROUPS code

    def for_period(self, start: dt.date, end: dt.date) -> "Filters":
        return replace(self, start=start, end=end)

    def for_municipalities(self, ids) -> "Filters":
        return replace(self, municipalities=frozenset(ids))
