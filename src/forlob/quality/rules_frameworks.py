"""Rules for reading a framework: which anvisninger a skal/bør filter shows, and what a
framework counts (issue 6 item 1).

Source: Nationale retningslinjer for social stofmisbrugsbehandling 2020, "Hvordan kan
retningslinjerne anvendes?" (L158): "skal" marks a duty under the law (forpligtelse), "bør"
and "kan" a recommendation (anbefaling). An anvisning with both ("mixed") holds a duty and a
recommendation, so it answers both filters.
"""

from collections.abc import Iterable

from .models.frameworks import Obligation

#: The filter values and the obligations each shows.
FILTERS = {
    Obligation.SKAL: {Obligation.SKAL, Obligation.MIXED},
    Obligation.BOR: {Obligation.BOR, Obligation.MIXED},
    Obligation.MIXED: {Obligation.MIXED},
}


def matches(obligation: str, wanted: str) -> bool:
    """Whether an item of `obligation` is shown under the filter `wanted` ("" shows all).

    L158: a filter on "skal" shows every anvisning holding a duty, the mixed ones included;
    "bør" every one holding a recommendation; "mixed" only those holding both."""
    if not wanted:
        return True
    return obligation in FILTERS.get(wanted, set())


def obligation_counts(obligations: Iterable[str]) -> dict[str, int]:
    """How many anvisninger are of each type (skal, bør, mixed); unmarked items not counted."""
    counts = {Obligation.SKAL: 0, Obligation.BOR: 0, Obligation.MIXED: 0}
    for o in obligations:
        if o in counts:
            counts[o] += 1
    return counts
