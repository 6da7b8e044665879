"""The self-assessment's rules (forlob.quality.rules, issue 6): line counting and the 5-line
limit, the split-area rule, delvis resolved each way or kept, categories and colours, a category
set by judgement, when a plan is required, status moves, and the evidence flag. Pure functions:
no database."""

import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forlob.quality import rules
from forlob.quality.models import Area, Category, Choice, Status
from forlob.quality.rules import (
    LINE_CHARS,
    category_for,
    colour,
    combine_areas,
    disagrees,
    editable,
    line_count,
    may_move,
    outcome,
    plan_required,
    too_long,
)
from forlob.quality.rules_frameworks import matches, obligation_counts

JA, DELVIS, NEJ = Choice.YES, Choice.PARTLY, Choice.NO
GREEN, YELLOW, RED = Category.MET, Category.PARTLY, Category.NOT_MET

choices = st.sampled_from([JA, DELVIS, NEJ])
maybe_choices = st.sampled_from([JA, DELVIS, NEJ, ""])
split = st.dictionaries(st.sampled_from([Area.ALCOHOL, Area.DRUGS, Area.YOUTH]), choices,
                        min_size=1)
answers = st.one_of(st.builds(lambda c: {Area.WHOLE: c}, maybe_choices),
                    st.dictionaries(st.sampled_from([Area.ALCOHOL, Area.DRUGS, Area.YOUTH]),
                                    maybe_choices, min_size=1))
categories = st.sampled_from([GREEN, YELLOW, RED, ""])
line = st.text(alphabet=string.ascii_letters + "æøå .,", max_size=LINE_CHARS).map(str.strip)


# --- line counting ("maks. 5 linjer") --------------------------------------------------------

@pytest.mark.parametrize("text,lines", [
    ("", 0),
    (None, 0),
    ("Kort svar.", 1),
    ("x" * LINE_CHARS, 1),
    ("x" * (LINE_CHARS + 1), 2),
    ("x" * (3 * LINE_CHARS), 3),
    ("første\nanden", 2),
    ("første\r\nanden", 2),
    ("første\n\nanden", 3),  # an empty line between paragraphs fills a line
    ("første\n\n\n", 1),  # trailing blank lines do not count
    ("første" + " " * 200, 1),  # nor trailing spaces
    ("\nefter en tom linje", 2),
])
def test_line_count(text, lines):
    assert line_count(text) == lines


def test_five_lines_is_the_limit_not_over_it():
    five = "\n".join(["linje"] * 5)
    assert not too_long(five, 5)
    assert too_long(five + "\nsjette", 5)
    assert not too_long("x" * (5 * LINE_CHARS), 5)  # one long paragraph filling 5 lines
    assert too_long("x" * (5 * LINE_CHARS + 1), 5)
    assert not too_long(five + "\n\n\n", 5)
    assert not too_long("x" * 10_000, None)  # no limit


@settings(deadline=None)  # pure and fast, but the machine is shared
@given(st.lists(line.filter(bool), max_size=12))
def test_short_lines_count_one_each(lines):
    assert line_count("\n".join(lines)) == len(lines)


@settings(deadline=None)  # pure and fast, but the machine is shared
@given(st.text(max_size=800), st.integers(min_value=1, max_value=10))
def test_too_long_is_more_lines_than_allowed(text, limit):
    assert too_long(text, limit) == (line_count(text) > limit)
    assert not too_long(text, None)


@settings(deadline=None)  # pure and fast, but the machine is shared
@given(st.text(max_size=400), line.filter(bool))
def test_adding_a_paragraph_never_lowers_the_count(text, extra):
    assert line_count(text.rstrip() + "\n" + extra) >= line_count(text) + 1


# --- split areas -----------------------------------------------------------------------------

@pytest.mark.parametrize("given_,expected", [
    ({Area.WHOLE: JA}, JA),
    ({Area.WHOLE: DELVIS}, DELVIS),
    ({Area.ALCOHOL: JA, Area.DRUGS: JA}, JA),
    ({Area.ALCOHOL: DELVIS, Area.DRUGS: DELVIS}, DELVIS),
    ({Area.ALCOHOL: NEJ, Area.DRUGS: NEJ}, NEJ),
    ({Area.ALCOHOL: JA, Area.DRUGS: NEJ}, NEJ),
    ({Area.ALCOHOL: JA, Area.DRUGS: DELVIS}, NEJ),
    ({Area.ALCOHOL: DELVIS, Area.DRUGS: NEJ}, NEJ),
    ({Area.ALCOHOL: JA, Area.DRUGS: JA, Area.YOUTH: DELVIS}, NEJ),
    ({Area.ALCOHOL: JA, Area.DRUGS: ""}, ""),  # an area has not answered
    ({Area.WHOLE: ""}, ""),
    ({}, ""),
])
def test_split_areas_that_differ_make_the_answer_nej(given_, expected):
    assert combine_areas(given_) == expected


@settings(deadline=None)  # pure and fast, but the machine is shared
@given(split)
def test_combined_answer_is_the_common_one_or_nej(given_):
    combined = combine_areas(given_)
    values = set(given_.values())
    assert combined == (values.pop() if len(values) == 1 else NEJ)
    assert combine_areas(dict(reversed(list(given_.items())))) == combined


def test_split_areas_that_differ_are_red_and_marked():
    o = outcome({Area.ALCOHOL: JA, Area.DRUGS: NEJ})
    assert (o.combined, o.resolved, o.category, o.by_rule) == (NEJ, NEJ, RED, RED)
    assert o.areas_differ and not o.by_judgement and not o.needs_resolution
    assert o.raw == ((Area.ALCOHOL, JA), (Area.DRUGS, NEJ))  # the raw answers stay visible
    # A delvis in one area of a split municipality is not resolved: the areas differ.
    o = outcome({Area.ALCOHOL: DELVIS, Area.DRUGS: JA})
    assert (o.combined, o.category, o.needs_resolution) == (NEJ, RED, False)


# --- delvis resolved each way, or kept -------------------------------------------------------

def test_an_open_delvis_waits_for_the_coordinator():
    o = outcome({Area.WHOLE: DELVIS})
    assert o.needs_resolution
    assert (o.combined, o.resolved, o.category, o.by_rule) == (DELVIS, DELVIS, None, None)
    assert outcome({Area.WHOLE: DELVIS}, delvis_to="måske").needs_resolution


@pytest.mark.parametrize("to,category", [(JA, GREEN), (NEJ, RED), (DELVIS, YELLOW)])
def test_delvis_resolved_each_way_or_kept(to, category):
    o = outcome({Area.WHOLE: DELVIS}, delvis_to=to, delvis_reason="Som de andre ja-kommuner")
    assert (o.combined, o.resolved, o.category, o.by_rule) == (DELVIS, to, category, category)
    assert o.reason == "Som de andre ja-kommuner"
    assert not o.needs_resolution and not o.by_judgement
    assert o.raw == ((Area.WHOLE, DELVIS),)


def test_a_resolution_left_over_from_an_earlier_delvis_is_ignored():
    o = outcome({Area.WHOLE: JA}, delvis_to=NEJ, delvis_reason="gammel")
    assert (o.resolved, o.category, o.reason) == (JA, GREEN, "")


# --- categories and colours ------------------------------------------------------------------

@pytest.mark.parametrize("answer,category,variant", [
    (JA, GREEN, "success"), (DELVIS, YELLOW, "warning"), (NEJ, RED, "error")])
def test_categories_and_colours(answer, category, variant):
    assert category_for(answer) == category
    assert colour(category) == variant
    if answer != DELVIS:
        assert outcome({Area.WHOLE: answer}).category == category


def test_no_category_and_no_colour_while_unanswered():
    assert category_for("") is None
    assert colour(None) == "" and colour("") == ""
    o = outcome({Area.WHOLE: ""})
    assert (o.combined, o.category, o.needs_resolution, o.by_judgement) == ("", None, False,
                                                                            False)
    assert set(rules.COLOURS) == set(Category.values)
    assert set(rules.COLOURS.values()) == {"success", "warning", "error"}


# --- a category set by judgement -------------------------------------------------------------

def test_the_coordinator_can_set_another_category_with_a_reason():
    o = outcome({Area.WHOLE: NEJ}, override=GREEN,
                override_reason="Køberkommune: indfriet gennem købsaftalen")
    assert (o.resolved, o.by_rule, o.category) == (NEJ, RED, GREEN)
    assert o.by_judgement
    assert o.reason == "Køberkommune: indfriet gennem købsaftalen"
    assert o.raw == ((Area.WHOLE, NEJ),)


def test_split_areas_judged_met_anyway():
    o = outcome({Area.ALCOHOL: JA, Area.DRUGS: NEJ}, override=GREEN, override_reason="skøn")
    assert (o.combined, o.by_rule, o.category, o.by_judgement, o.areas_differ) == (
        NEJ, RED, GREEN, True, True)


def test_an_override_equal_to_the_rules_is_not_a_judgement():
    o = outcome({Area.WHOLE: JA}, override=GREEN, override_reason="bekræftet")
    assert (o.category, o.by_judgement) == (GREEN, False)


def test_a_judgement_settles_an_open_delvis():
    o = outcome({Area.WHOLE: DELVIS}, override=YELLOW, override_reason="skøn")
    assert (o.category, o.by_rule, o.by_judgement, o.needs_resolution) == (
        YELLOW, None, True, False)


def test_a_judgement_without_its_own_reason_keeps_the_delvis_reason():
    o = outcome({Area.WHOLE: DELVIS}, delvis_to=NEJ, delvis_reason="afgjort",
                override=GREEN)
    assert (o.category, o.by_judgement, o.reason) == (GREEN, True, "afgjort")


def test_no_judgement_on_an_unanswered_indicator():
    o = outcome({Area.WHOLE: ""}, override=GREEN, override_reason="skøn")
    assert (o.category, o.by_judgement) == (None, False)
    assert outcome({Area.WHOLE: NEJ}, override="blå").category == RED


@settings(deadline=None)  # pure and fast, but the machine is shared
@given(answers, st.sampled_from([JA, DELVIS, NEJ, "", "x"]), categories)
def test_outcome_invariants(given_, delvis_to, override):
    o = outcome(given_, delvis_to=delvis_to, override=override, delvis_reason="d",
                override_reason="o")
    assert o.raw == tuple(sorted(given_.items()))
    assert o.combined == combine_areas(given_)
    if not o.combined:
        assert o.category is None and not o.by_judgement and not o.needs_resolution
    elif override:
        assert o.category == override
        assert o.by_judgement == (override != o.by_rule)
    else:
        assert o.category == o.by_rule and not o.by_judgement
    if o.needs_resolution:
        assert o.combined == DELVIS and delvis_to not in Choice.values and not override
    if o.areas_differ:
        assert o.combined == NEJ and o.by_rule == RED
    if o.category is not None:
        assert colour(o.category) in {"success", "warning", "error"}
    if o.by_judgement:
        assert o.reason == "o"


# --- plan for løsning ------------------------------------------------------------------------

@pytest.mark.parametrize("given_,required", [
    ([JA, JA, JA], False),
    ([JA, DELVIS], True),
    ([NEJ], True),
    ([], False),
    ([JA, ""], False),  # an unanswered indicator is caught by the mandatory check, not here
])
def test_a_plan_is_required_where_an_indicator_is_not_ja(given_, required):
    assert plan_required(given_) is required


@settings(deadline=None)  # pure and fast, but the machine is shared
@given(st.lists(maybe_choices, max_size=6))
def test_plan_required_iff_some_delvis_or_nej(given_):
    assert plan_required(given_) == any(c in (DELVIS, NEJ) for c in given_)


# --- status moves ----------------------------------------------------------------------------

@pytest.mark.parametrize("current,target,allowed", [
    (Status.DRAFT, Status.SUBMITTED, True),
    (Status.DRAFT, Status.APPROVED, False),
    (Status.DRAFT, Status.RETURNED, False),
    (Status.SUBMITTED, Status.RETURNED, True),
    (Status.SUBMITTED, Status.APPROVED, True),
    (Status.SUBMITTED, Status.DRAFT, False),
    (Status.RETURNED, Status.SUBMITTED, True),
    (Status.RETURNED, Status.APPROVED, False),
    (Status.APPROVED, Status.RETURNED, False),
    (Status.APPROVED, Status.DRAFT, False),
    ("ukendt", Status.SUBMITTED, False),
])
def test_transitions(current, target, allowed):
    assert may_move(current, target) is allowed


@settings(deadline=None)  # pure and fast, but the machine is shared
@given(st.sampled_from(Status.values))
def test_approved_is_final_and_reachable(start):
    assert not may_move(Status.APPROVED, start)
    assert not may_move(start, start)
    seen, todo = {start}, [start]
    while todo:
        for nxt in rules.TRANSITIONS[todo.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    assert Status.APPROVED in seen


@pytest.mark.parametrize("status,expected", [
    (Status.DRAFT, True), (Status.RETURNED, True), (Status.SUBMITTED, False),
    (Status.APPROVED, False)])
def test_the_municipality_edits_drafts_and_returned_answers_only(status, expected):
    assert editable(status) is expected


# --- measured evidence against the answer ----------------------------------------------------

@pytest.mark.parametrize("choice,value,flag", [
    (JA, 0.12, True),  # "ja" to 5.2 while 12 % had the 1-month follow-up
    (JA, 0.80, False),
    (JA, 0.5, False),  # at the threshold is not below it
    (JA, None, False),  # no data or suppressed: never a flag
    (NEJ, 0.12, False),
    (DELVIS, 0.12, False),
    ("", 0.0, False),
])
def test_disagrees(choice, value, flag):
    assert disagrees(choice, value, 0.5) is flag


@settings(deadline=None)  # pure and fast, but the machine is shared
@given(maybe_choices, st.one_of(st.none(), st.floats(0, 1)), st.floats(0, 1))
def test_only_a_ja_below_the_threshold_disagrees(choice, value, threshold):
    assert disagrees(choice, value, threshold) == (
        choice == JA and value is not None and value < threshold)


# --- reading a framework: the skal/bør filter (rules_frameworks) -----------------------------

@pytest.mark.parametrize("obligation,wanted,shown", [
    ("skal", "", True), ("", "", True),
    ("skal", "skal", True), ("mixed", "skal", True), ("bør", "skal", False),
    ("bør", "bør", True), ("mixed", "bør", True), ("skal", "bør", False),
    ("mixed", "mixed", True), ("skal", "mixed", False), ("bør", "mixed", False),
    ("", "skal", False), ("skal", "ukendt", False),
])
def test_skal_bor_filter(obligation, wanted, shown):
    assert matches(obligation, wanted) is shown


def test_obligation_counts():
    assert obligation_counts(["skal", "bør", "bør", "mixed", "", "x"]) == {
        "skal": 1, "bør": 2, "mixed": 1}



# --- Overdue (issue 6 item 2: who has not answered by the deadline) --------------------------

def test_overdue_only_after_the_deadline_and_only_while_not_done():
    import datetime as dt

    deadline = dt.date(2026, 7, 1)
    assert not rules.overdue(deadline, dt.date(2026, 6, 30), done=False)
    assert not rules.overdue(deadline, deadline, done=False)  # the last day is in time
    assert rules.overdue(deadline, dt.date(2026, 7, 2), done=False)
    assert not rules.overdue(deadline, dt.date(2026, 7, 2), done=True)


@given(deadline=st.dates(), today=st.dates(), done=st.booleans())
def test_overdue_is_late_and_not_done(deadline, today, done):
    assert rules.overdue(deadline, today, done) == (today > deadline and not done)
