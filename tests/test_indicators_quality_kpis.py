"""The KPIs the quality self-assessment reads as evidence (issue 6 item 6; kpis_quality.py):
complete registration (7.1), medical and psychosocial treatment in use (9.1) and linked plans
(12.2), each on a hand-built dataset with the figure worked out by hand, "no cases → None",
and the SQL checked against the pure rules of rules_quality.py. Period: Q1 2026."""

import datetime as dt
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from forlob.indicators import catalogue, presentation
from forlob.indicators import kpis_quality as k
from forlob.indicators import rules_quality as rq
from forlob.indicators.filters import Filters
from forlob.pathway.models import Course, CourseTrack, TreatmentRequest, TreatmentStart
from forlob.treatment.models import Discharge, TreatmentPlan

from .factories import CitizenFactory
from .factories_indicators import add_decision

D = dt.date
Q1 = (D(2026, 1, 1), D(2026, 3, 31))
CODES = ("registration_complete", "medical_and_psychosocial", "linked_plans")


def sel(world, start=Q1[0], end=Q1[1], munis=None):
    return Filters(start=start, end=end,
                   municipalities=frozenset(m.pk for m in (munis or [world.muni])))


def course(world, *, muni=None, started=None, discharged=None, tracks=("sel101",),
           discharge_fields=None):
    muni = muni or world.muni
    c = Course.objects.create(citizen=CitizenFactory(residence_municipality=muni),
                              acting_municipality=muni)
    for track in tracks:
        CourseTrack.objects.create(course=c, track=track)
    TreatmentRequest.objects.create(course=c, requested_on=D(2025, 5, 1), channel="phone")
    if started:
        TreatmentStart.objects.create(course=c, started_on=started, enrolled_on=started,
                                      provider=world.provider)
    if discharged:
        fields = {"reason": "faerdigbehandlet", "use_status": "ophoert", "housing": "egen",
                  "means_of_support": "loen", **(discharge_fields or {})}
        Discharge.objects.create(course=c, discharged_on=discharged, status_text="Status",
                                 **fields)
    return c


def plan(c, agreed, number=1, **kwargs):
    return TreatmentPlan.objects.create(course=c, number=number, agreed_on=agreed,
                                        content="plan", **kwargs)


def decide(c, day, intensity, outcome="bevilling"):
    decision = add_decision(c, None, day, outcome=outcome)
    decision.intensity = intensity
    decision.save()
    return decision


def test_registered_in_both_languages_with_cases():
    for code in CODES:
        kpi = catalogue.CATALOGUE[code]
        assert kpi.name_da and kpi.name_en and kpi.definition_da and kpi.definition_en
        assert kpi.source and kpi.better == "higher" and kpi.cases is not None
    assert catalogue.CATALOGUE["linked_plans"].compute is k.linked_plans


@pytest.mark.parametrize("code", CODES)
def test_no_cases_no_figure(world, code):
    course(world, started=D(2026, 5, 1))  # after the period
    v = catalogue.compute(code, sel(world))
    assert v.value is None
    assert v.denominator == 0
    assert v.cells == ()


# --- registration_complete --------------------------------------------------------------------

@pytest.fixture
def registrations(world):
    c1 = course(world, started=D(2026, 2, 1))  # plan with intensity: complete
    plan(c1, D(2026, 2, 3), intensity="ambulant")
    course(world, started=D(2026, 2, 10))  # no intensity anywhere: start missing
    c3 = course(world, started=D(2026, 2, 10))  # intensity on the grant: complete
    decide(c3, D(2026, 2, 1), "dag")
    course(world, started=D(2025, 10, 1), discharged=D(2026, 3, 1))  # all fields: complete
    course(world, started=D(2025, 10, 1), discharged=D(2026, 3, 5),  # housing empty
           discharge_fields={"housing": ""})
    c6 = course(world, started=D(2026, 1, 15), discharged=D(2026, 3, 20),
                discharge_fields={"use_status": ""})  # start fine, discharge missing
    plan(c6, D(2026, 1, 16), intensity="dag")
    c7 = course(world, started=D(2026, 3, 1))  # intensity only on a refusal: start missing
    decide(c7, D(2026, 2, 20), "dag", outcome="afslag")
    course(world, started=D(2025, 6, 1))  # no event in the period
    course(world, started=D(2026, 4, 10))  # after the period
    course(world, muni=world.muni2, started=D(2026, 2, 1))  # another municipality
    return world


def test_registration_complete_by_hand(registrations):
    v = k.registration_complete(sel(registrations))
    # Counted: c1, c2, c3, c4, c5, c6, c7 = 7; complete: c1, c3, c4 = 3.
    assert (v.numerator, v.denominator) == (3, 7)
    assert v.value == pytest.approx(3 / 7)
    # complete, missing only at the start (c2, c7), only at discharge (c5, c6), at both
    assert [cell[2] for cell in v.cells] == [3, 2, 2, 0]
    assert sum(cell[2] for cell in v.cells) == v.denominator  # an exact split
    assert k.registration_cases(sel(registrations)).count() == 7


def test_registration_counts_a_course_once_when_both_events_fall_in_the_period(world):
    c = course(world, started=D(2026, 1, 5), discharged=D(2026, 2, 5),
               discharge_fields={"reason": ""})
    v = k.registration_complete(sel(world))
    assert (v.numerator, v.denominator) == (0, 1)
    assert [cell[2] for cell in v.cells] == [0, 0, 0, 1]  # missing at both
    plan(c, D(2026, 1, 6), intensity="ambulant")
    assert [cell[2] for cell in k.registration_complete(sel(world)).cells] == [0, 0, 1, 0]


def test_registration_sql_follows_the_rule(world):
    """Every combination of the facts: the SQL's complete count is the rule's."""
    expected = 0
    combos = itertools.product((D(2026, 2, 1), D(2025, 9, 1)), (None, D(2026, 3, 1)),
                               ("", "plan", "grant"), (None, "housing", "means_of_support"))
    for started, discharged, intensity, empty in combos:
        if discharged is None and empty:
            continue
        c = course(world, started=started, discharged=discharged,
                   discharge_fields={empty: ""} if empty else None)
        if intensity == "plan":
            plan(c, started, intensity="ambulant")
        elif intensity == "grant":
            decide(c, started, "ambulant")
        fields = tuple("" if name == empty else "x" for name in rq.DISCHARGE_TEXT_FIELDS)
        decided = rq.registration_complete(
            Q1[0] <= started <= Q1[1], discharged is not None, enrolled=True, provider=True,
            intensity=bool(intensity), discharge_fields=fields)
        expected += bool(decided)
    v = k.registration_complete(sel(world))
    assert v.numerator == expected
    assert 0 < expected < v.denominator


@given(st.booleans(), st.booleans(), st.booleans(), st.booleans(), st.booleans(),
       st.lists(st.sampled_from(["", "x"]), min_size=4, max_size=4))
def test_registration_rule(started, discharged, enrolled, provider, intensity, fields):
    result = rq.registration_complete(started, discharged, enrolled=enrolled, provider=provider,
                                      intensity=intensity, discharge_fields=tuple(fields))
    if not started and not discharged:
        assert result is None
        return
    start_ok = enrolled and provider and intensity
    discharge_ok = "" not in fields
    assert result is ((not started or start_ok) and (not discharged or discharge_ok))


# --- medical_and_psychosocial -----------------------------------------------------------------

def test_both_kinds_in_use(world):
    course(world, started=D(2025, 12, 1), tracks=("sul142",))
    course(world, started=D(2026, 1, 10), tracks=("sel101", "sul142"))
    course(world, started=D(2026, 2, 1), tracks=("sul141",))
    course(world, started=D(2025, 6, 1), discharged=D(2025, 12, 20), tracks=("sul142",))
    course(world, tracks=("sel101",))  # never started
    v = k.medical_and_psychosocial(sel(world))
    assert v.value == 1.0
    assert (v.numerator, v.denominator) == (None, 3)
    assert [cell[2] for cell in v.cells] == [2, 2]
    assert k.kinds_cases(sel(world)).count() == 3


def test_one_kind_is_half(world):
    course(world, started=D(2026, 1, 10), tracks=("sel101",))
    course(world, started=D(2026, 1, 11), tracks=("sel101a",))
    course(world, muni=world.muni2, started=D(2026, 1, 10), tracks=("sul142",))
    v = k.medical_and_psychosocial(sel(world))
    assert v.value == 0.5
    assert [cell[2] for cell in v.cells] == [0, 2]
    both = k.medical_and_psychosocial(sel(world, munis=[world.muni, world.muni2]))
    assert both.value == 1.0


def test_kinds_shown_only_over_five_courses(world):
    for day in range(1, 5):
        course(world, started=D(2026, 1, day), tracks=("sel101",))
    v = k.medical_and_psychosocial(sel(world))
    assert v.value == 0.5
    assert presentation.shown_value(v, suppress=True) is None  # 4 courses
    course(world, started=D(2026, 1, 9), tracks=("sel101",))
    v = k.medical_and_psychosocial(sel(world))
    assert presentation.shown_value(v, suppress=True) == 0.5
    assert presentation.format_value(0.5, v.unit) == "50 %"


@given(st.integers(0, 50), st.integers(0, 50))
def test_kinds_rule(medical, psychosocial):
    value = rq.kinds_in_use(medical, psychosocial)
    if medical == psychosocial == 0:
        assert value is None
    else:
        assert value == ((medical > 0) + (psychosocial > 0)) / 2
        assert value in (0.5, 1.0)


def test_kinds_rule_refuses_negative_counts():
    with pytest.raises(ValueError):
        rq.kinds_in_use(-1, 2)


# --- linked_plans -----------------------------------------------------------------------------

def test_linked_plans_by_hand(world):
    l1 = course(world, started=D(2025, 10, 1))
    plan(l1, D(2025, 11, 1))
    plan(l1, D(2026, 2, 1), number=2, action_plan_141=True)  # current: linked
    l2 = course(world, started=D(2025, 10, 1))
    plan(l2, D(2025, 11, 1), coordinating_plan=True)  # current by the period end: linked
    plan(l2, D(2026, 4, 15), number=2)
    l3 = course(world, started=D(2025, 10, 1))
    plan(l3, D(2025, 11, 1), action_plan_141=True, coordinating_plan=True)
    plan(l3, D(2026, 3, 1), number=2, job_plan=True)  # current: not linked
    course(world, started=D(2025, 10, 1))  # no plan: not counted
    l5 = course(world, started=D(2026, 3, 1))
    plan(l5, D(2026, 4, 20), action_plan_141=True)  # only after the period: not counted
    l6 = course(world, started=D(2025, 6, 1), discharged=D(2025, 12, 1))
    plan(l6, D(2025, 6, 2), action_plan_141=True)  # discharged before: not counted
    v = k.linked_plans(sel(world))
    assert (v.numerator, v.denominator) == (2, 3)
    assert v.value == pytest.approx(2 / 3)
    # § 141 only (l1), coordinating plan only (l2), both (none: l3's old plan), not linked (l3)
    assert [cell[2] for cell in v.cells] == [1, 1, 0, 1]
    assert set(k.linked_plans_cases(sel(world)).values_list("pk", flat=True)) == {
        l1.pk, l2.pk, l3.pk}


@given(st.booleans(), st.booleans())
def test_plan_linked_rule(p141, kip):
    assert rq.plan_linked(p141, kip) is (p141 or kip)


def test_linked_plans_split_counts_a_plan_with_both_links_once(world):
    both = course(world, started=D(2025, 10, 1))
    plan(both, D(2026, 1, 5), action_plan_141=True, coordinating_plan=True)
    v = k.linked_plans(sel(world))
    assert (v.numerator, v.denominator) == (1, 1)
    assert [cell[2] for cell in v.cells] == [0, 0, 1, 0]


# --- Suppression: no cell gives away the hidden complement (review finding) --------------------

def consistent(fig, numerator_cells, bound):
    """What a reader can work out from the figure as shown: every assignment of the hidden
    cells ("<5", "x") to 0..bound consistent with the visible cells, denominator, numerator
    and rate. Returns the possible complements (denominator - numerator) and, per hidden
    cell, its possible values."""
    texts = [text for _label, text in fig.cells]
    options = [[int(t)] if t.isdigit() else range(bound + 1) for t in texts]
    denominator = int(fig.denominator) if fig.denominator.isdigit() else None
    numerator = int(fig.numerator) if fig.numerator.isdigit() else None
    percent = int("".join(ch for ch in fig.value if ch.isdigit())) if fig.value != "–" else None
    complements, hidden = set(), {i: set() for i, t in enumerate(texts) if not t.isdigit()}
    for combo in itertools.product(*options):
        n, a = sum(combo), sum(combo[i] for i in numerator_cells)
        if denominator is not None and n != denominator or numerator is not None and a != numerator:
            continue
        if percent is not None and (not n or round(100 * a / n) != percent):
            continue
        complements.add(n - a)
        for i, values in hidden.items():
            values.add(combo[i])
    return complements, hidden


def assert_nothing_derivable(code, v, numerator_cells):
    fig = presentation.figure(catalogue.CATALOGUE[code], v, suppress=True)
    complements, hidden = consistent(fig, numerator_cells, v.denominator)
    assert v.denominator - v.numerator in complements  # the checker admits the truth
    if 0 < v.denominator - v.numerator < 5:
        assert len(complements) > 1, (fig.value, fig.numerator, fig.cells)
    for i, values in hidden.items():
        assert len(values) > 1, (i, fig.numerator, fig.cells)
    return fig


def test_registration_cells_do_not_reveal_the_incomplete(world):
    """n = 9, complete = 5: the rate and numerator are hidden (4 incomplete), and so is the
    "complete" cell, which showed 5 beside the total 9 before the cells were an exact split."""
    for day in range(1, 6):
        decide(course(world, started=D(2026, 2, day)), D(2026, 1, 20), "ambulant")
    for day in range(10, 14):
        course(world, started=D(2026, 2, day))  # no intensity: missing at the start
    v = k.registration_complete(sel(world))
    assert (v.numerator, v.denominator) == (5, 9)
    assert [cell[2] for cell in v.cells] == [5, 4, 0, 0]
    fig = assert_nothing_derivable("registration_complete", v, (0,))
    assert fig.value == "–" and fig.numerator == "x" and fig.denominator == "9"
    assert [text for _label, text in fig.cells] == ["x", "<5", "0", "0"]


def test_linked_plan_cells_do_not_reveal_the_unlinked(world):
    """n = 9, § 141 = 5, coordinating = 0: the 5 linked plans' cell is hidden with the 4 not
    linked; before, "Handleplan efter § 141" showed 5 beside the total 9."""
    for day in range(1, 10):
        plan(course(world, started=D(2025, 10, day)), D(2026, 1, day), action_plan_141=day <= 5)
    v = k.linked_plans(sel(world))
    assert (v.numerator, v.denominator) == (5, 9)
    assert [cell[2] for cell in v.cells] == [5, 0, 0, 4]
    fig = assert_nothing_derivable("linked_plans", v, (0, 1, 2))
    assert fig.value == "–" and fig.numerator == "x" and fig.denominator == "9"
    assert [text for _label, text in fig.cells] == ["x", "0", "0", "<5"]


def _split(code, counts):
    numerator = counts[0] if code == "registration_complete" else sum(counts[:3])
    return catalogue.Value(numerator / sum(counts), numerator, sum(counts),
                           tuple((f"c{i}", f"c{i}", n) for i, n in enumerate(counts)))


@pytest.mark.parametrize(("code", "counts"), [
    ("registration_complete", (5, 0, 1, 1)),  # 5 visible, numerator hidden: 7 - 5 = 2
    ("linked_plans", (3, 6, 6, 5)),  # not linked hidden (x), numerator 15 shown: 20 - 15 = 5
])
def test_splits_where_the_rows_suppression_is_not_enough(code, counts):
    assert_nothing_derivable(code, _split(code, counts),
                             (0,) if code == "registration_complete" else (0, 1, 2))


@pytest.mark.parametrize(("code", "counts"), [
    ("registration_complete", (10, 3, 6, 0)), ("registration_complete", (0, 2, 3, 0)),
    ("linked_plans", (5, 5, 0, 4)), ("linked_plans", (6, 7, 5, 4)),
    ("linked_plans", (2, 3, 0, 9)),
])
def test_other_splits_hide_what_they_must(code, counts):
    assert_nothing_derivable(code, _split(code, counts),
                             (0,) if code == "registration_complete" else (0, 1, 2))
