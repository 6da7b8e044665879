"""The reports' pure rules (rules_reports): abbreviations, agreements in force during a period,
examples attached to their indicator, the region report's tally and the cluster report's
grouping; which answers go into a report, when it is preliminary, and who is flagged."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from forlob.quality.evidence import Evidence
from forlob.quality.models import Status
from forlob.quality.rules import outcome
from forlob.quality.rules_reports import (
    Tally,
    abbreviations,
    examples_parent,
    flagged,
    grouped,
    in_force_during,
    preliminary,
    reported,
    tally,
)

# --- Abbreviations ---------------------------------------------------------------------------


def test_configured_abbreviation_wins_and_fallback_is_three_capitals():
    assert abbreviations([(1, "Køge", "KØG"), (2, "Solrød", ""), (3, "Greve", " GRV ")]) == {
        1: "KØG", 2: "SOL", 3: "GRV"}


def test_fallbacks_that_collide_take_more_letters():
    assert abbreviations([(1, "Holbæk", ""), (2, "Holstebro", ""), (3, "Faxe", "")]) == {
        1: "HOLB", 2: "HOLS", 3: "FAX"}


def test_fallback_never_reads_like_a_configured_one():
    assert abbreviations([(1, "Solrød", ""), (2, "Slagelse", "SOL")]) == {1: "SOLR", 2: "SOL"}


def test_a_short_name_that_prefixes_another():
    assert abbreviations([(1, "Ås", ""), (2, "Åsby", "")]) == {1: "ÅS", 2: "ÅSB"}


names = st.text(alphabet="abcæøåKLMÅØ -", min_size=1, max_size=8).filter(str.strip)


@given(st.lists(st.tuples(names, st.sampled_from(["", "", "AB", "KØG", "XY"])),
                max_size=8))
def test_abbreviations_are_unique_and_total(rows):
    seen_names, seen_abbr, clean = set(), set(), []
    for i, (name, configured) in enumerate(rows):
        if name in seen_names or (configured and configured in seen_abbr):
            continue  # names and configured abbreviations are unique in the database
        seen_names.add(name)
        seen_abbr.add(configured)
        clean.append((i, name, configured))
    result = abbreviations(clean)
    assert set(result) == {pk for pk, _n, _a in clean}
    assert len(set(result.values())) == len(result)
    for pk, _name, configured in clean:
        if configured:
            assert result[pk] == configured


# --- Agreements in force during the round ----------------------------------------------------

START, END = dt.date(2026, 1, 1), dt.date(2026, 5, 31)


def test_in_force_during_the_period():
    assert in_force_during(dt.date(2024, 1, 1), None, START, END)
    assert in_force_during(dt.date(2026, 5, 31), None, START, END)  # begins the last day
    assert in_force_during(dt.date(2024, 1, 1), dt.date(2026, 1, 1), START, END)  # ends day 1
    assert not in_force_during(dt.date(2024, 1, 1), dt.date(2025, 12, 31), START, END)
    assert not in_force_during(dt.date(2026, 6, 1), None, START, END)


@given(st.dates(), st.one_of(st.none(), st.dates()))
def test_in_force_during_means_in_force_on_some_day(valid_from, valid_to):
    days = [START + dt.timedelta(days=n) for n in range((END - START).days + 1)]
    some_day = any(valid_from <= d and (valid_to is None or d <= valid_to) for d in days)
    assert in_force_during(valid_from, valid_to, START, END) == some_day


# --- Examples under their indicator ---------------------------------------------------------


def test_examples_parent():
    assert examples_parent("1.1-eks", ["1.1", "1.2"]) == "1.1"
    assert examples_parent("1.3-eks", ["1.1", "1.2"]) is None
    assert examples_parent("2.4", ["2.1"]) is None


# --- Tally and grouping ------------------------------------------------------------------------


def test_tally_counts_resolved_answers():
    outcomes = [
        outcome({"alkohol": "ja", "stof": "nej"}),  # areas differ: nej
        outcome({"": "delvis"}, delvis_to="ja"),
        outcome({"": "delvis"}, delvis_to="nej"),
        outcome({"": "delvis"}, delvis_to="delvis"),  # kept
        outcome({"": "delvis"}),  # open
        outcome({"": "nej"}, override="green", override_reason="køber"),  # judged
        outcome({"": ""}),
    ]
    assert tally(outcomes) == Tally(yes=1, partly=2, no=3, open=1, unanswered=1, judged=1)


choices = st.sampled_from(["ja", "delvis", "nej", ""])


@given(st.lists(st.tuples(st.dictionaries(st.sampled_from(["", "alkohol", "stof"]), choices,
                                          min_size=1, max_size=2),
                          st.sampled_from(["", "ja", "nej", "delvis"]),
                          st.sampled_from(["", "green", "yellow", "red"])), max_size=10))
def test_every_municipality_is_counted_once_and_grouped_once(rows):
    outcomes = [outcome(c, delvis_to=d, override=o, override_reason="r") for c, d, o in rows]
    t = tally(outcomes)
    assert t.answered + t.unanswered == len(outcomes)
    assert t.open <= t.partly
    groups = grouped(dict(enumerate(outcomes)))
    members = [m for ids in groups.values() for m in ids]
    assert sorted(members) == list(range(len(outcomes)))
    for key in ("green", "yellow", "red"):
        assert all(outcomes[i].category == key for i in groups[key])


# --- What goes into a report -----------------------------------------------------------------


def test_only_submitted_and_approved_answers_are_reported():
    assert {s: reported(s) for s in Status.values} == {
        "draft": False, "submitted": True, "returned": False, "approved": True}
    assert not reported("") and not reported("nonsense")


@given(st.lists(st.sampled_from(Status.values)))
def test_preliminary_unless_every_answer_is_approved(statuses):
    assert preliminary(statuses) == (set(statuses) - {Status.APPROVED} != set())


def _ev(flag):
    return Evidence(item_number="5.2", kpi_code="k", name="K", shown="–", value=None,
                    flag=flag, flag_text="")


def test_flagged_members_in_order():
    assert flagged({3: _ev(True), 1: None, 2: _ev(False), 4: _ev(True)}) == [3, 4]
    assert flagged({}) == []
