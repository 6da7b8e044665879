"""Danmarks Statistik's "Stofmisbrugsbehandling – Social" on the municipality's own data
(issue 5 item 2): the 10-day merge of contact courses (pure, with properties), and the figures
on hand-built datasets whose expected values are worked out in the comments."""

import datetime as dt
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from forlob.citizens.models import Citizen
from forlob.indicators import dst, rules_dst
from forlob.indicators.filters import Filters
from forlob.indicators.rules_dst import ContactCourse, merge_contact_courses
from forlob.pathway.models import Course, CourseTrack, FreeChoice, TreatmentRequest, TreatmentStart
from forlob.treatment.models import Discharge

from .factories import AnonymousCitizenFactory, CitizenFactory
from .factories_standards import adopted

D = dt.date


# --- The merge rule (pure) --------------------------------------------------------------------

@pytest.mark.parametrize("gap, merged", [(9, True), (10, True), (11, False)])
def test_requests_merge_when_the_gap_is_ten_days_or_fewer(gap, merged):
    # First course 1-31 January; the next request `gap` days after 31 January.
    nxt = D(2025, 1, 31) + dt.timedelta(days=gap)
    result = merge_contact_courses([(1, D(2025, 1, 1), D(2025, 1, 31)),
                                    (1, nxt, D(2025, 3, 31))])
    if merged:
        assert result == [ContactCourse(1, D(2025, 1, 1), D(2025, 3, 31), 2)]
    else:
        assert result == [ContactCourse(1, D(2025, 1, 1), D(2025, 1, 31)),
                          ContactCourse(1, nxt, D(2025, 3, 31))]


def test_requests_of_different_persons_never_merge():
    result = merge_contact_courses([(1, D(2025, 1, 1), D(2025, 1, 31)),
                                    (2, D(2025, 2, 1), None)])
    assert result == [ContactCourse(1, D(2025, 1, 1), D(2025, 1, 31)),
                      ContactCourse(2, D(2025, 2, 1), None)]


def test_an_open_course_absorbs_every_later_request():
    # Open since 1 January 2024: a request two years later still joins it, and the merged
    # course stays open although the later course has ended.
    result = merge_contact_courses([(1, D(2024, 1, 1), None),
                                    (1, D(2026, 1, 1), D(2026, 2, 1))])
    assert result == [ContactCourse(1, D(2024, 1, 1), None, 2)]


def test_an_overlapping_request_joins_and_the_latest_end_wins():
    # A request before the running course has ended joins it; a shorter course inside a longer
    # one does not shorten it.
    result = merge_contact_courses([(1, D(2025, 1, 1), D(2025, 6, 30)),
                                    (1, D(2025, 2, 1), D(2025, 3, 1))])
    assert result == [ContactCourse(1, D(2025, 1, 1), D(2025, 6, 30), 2)]


def test_an_end_before_its_request_is_read_as_the_request_day():
    result = merge_contact_courses([(1, D(2025, 1, 20), D(2025, 1, 1))])
    assert result == [ContactCourse(1, D(2025, 1, 20), D(2025, 1, 20))]


def test_period_membership_of_a_contact_course():
    c = ContactCourse(1, D(2025, 1, 10), D(2025, 2, 1))
    assert (c.begun_in(D(2025, 2, 1), D(2025, 2, 28)), c.ended_in(D(2025, 2, 1), D(2025, 2, 28)),
            c.active_in(D(2025, 2, 1), D(2025, 2, 28))) == (False, True, True)
    assert not c.active_in(D(2025, 2, 2), D(2025, 2, 28))
    assert ContactCourse(1, D(2025, 2, 28), None).active_in(D(2025, 2, 1), D(2025, 2, 28))
    assert not ContactCourse(1, D(2025, 3, 1), None).active_in(D(2025, 2, 1), D(2025, 2, 28))


def test_guarantee_status():
    # Day 14 after the request is still in time (retningslinje 3.4.1); day 15 is not.
    assert rules_dst.guarantee_status(D(2025, 1, 1), D(2025, 1, 15), 14, False) == "kept"
    assert rules_dst.guarantee_status(D(2025, 1, 1), D(2025, 1, 16), 14, False) == "broken"
    assert rules_dst.guarantee_status(D(2025, 1, 1), D(2025, 1, 11), 10, False) == "kept"
    assert rules_dst.guarantee_status(D(2025, 1, 1), D(2025, 1, 12), 10, False) == "broken"
    assert rules_dst.guarantee_status(D(2025, 1, 1), D(2025, 3, 1), 14, True) == "waived"


def test_end_status_groups():
    assert [rules_dst.end_status_group(u) for u in
            ("ophoert", "reduceret", "uaendret", "oeget", "ukendt", "nyt")] == [
        "stoffri", "reduceret_stabiliseret", "reduceret_stabiliseret", "andet", "andet", "andet"]


DAY0 = D(2025, 1, 1)
rows_strategy = st.lists(
    st.tuples(st.integers(1, 3), st.integers(0, 120),
              st.one_of(st.none(), st.integers(0, 40))).map(
        lambda t: (t[0], DAY0 + dt.timedelta(days=t[1]),
                   None if t[2] is None else DAY0 + dt.timedelta(days=t[1] + t[2]))),
    max_size=8)


def _course_of(courses, person, requested):
    """The contact course a row of `person` requested on `requested` belongs to: the last of
    the person's courses begun on or before it."""
    return [c for c in courses if c.person == person and c.start <= requested][-1]


@given(rows_strategy, st.randoms())
def test_merging_does_not_depend_on_the_order_of_the_rows(rows, rnd):
    shuffled = list(rows)
    rnd.shuffle(shuffled)
    assert merge_contact_courses(shuffled) == merge_contact_courses(rows)


@given(rows_strategy)
def test_every_request_lands_in_exactly_one_course(rows):
    courses = merge_contact_courses(rows)
    assert sum(c.requests for c in courses) == len(rows)
    for person, requested, end in rows:
        c = _course_of(courses, person, requested)
        assert c.end is None or (end is not None and end <= c.end)


@given(rows_strategy)
def test_courses_more_than_ten_days_apart_never_merge(rows):
    # Consecutive contact courses of a person: the earlier one has ended, and the later one
    # begins more than 10 days after that end.
    courses = merge_contact_courses(rows)
    for _person, group in itertools.groupby(courses, key=lambda c: c.person):
        for earlier, later in itertools.pairwise(group):
            assert earlier.end is not None
            assert (later.start - earlier.end).days > rules_dst.MERGE_GAP_DAYS


@given(rows_strategy)
def test_a_request_ten_days_or_fewer_after_an_end_always_merges(rows):
    courses = merge_contact_courses(rows)
    for (p1, r1, e1), (p2, r2, _e2) in itertools.permutations(rows, 2):
        if p1 == p2 and r1 <= r2 and e1 is not None and (r2 - e1).days <= 10:
            assert _course_of(courses, p1, r1) == _course_of(courses, p2, r2)


@given(rows_strategy)
def test_an_open_course_absorbs_every_later_request_of_the_person(rows):
    courses = merge_contact_courses(rows)
    for (p1, r1, e1), (p2, r2, _e2) in itertools.permutations(rows, 2):
        if p1 == p2 and e1 is None and r1 <= r2:
            c = _course_of(courses, p1, r1)
            assert c == _course_of(courses, p2, r2) and c.end is None


# --- The figures on hand-built data -----------------------------------------------------------

def _course(muni, citizen, requested, started=None, enrolled=None, ended=None, provider=None,
            reason="faerdigbehandlet", use="ophoert", tracks=("sel101",), free_choice=False):
    """One register course placed exactly: request, start/enrolment, discharge."""
    course = Course.objects.create(citizen=citizen, acting_municipality=muni)
    for track in tracks:
        CourseTrack.objects.create(course=course, track=track)
    TreatmentRequest.objects.create(course=course, requested_on=requested, channel="phone")
    if free_choice:
        FreeChoice.objects.create(course=course, chosen_on=requested, provider=provider)
    if started:
        TreatmentStart.objects.create(course=course, started_on=started,
                                      enrolled_on=enrolled or started, provider=provider)
    if ended:
        Discharge.objects.create(course=course, discharged_on=ended, reason=reason,
                                 use_status=use, housing="egen", means_of_support="loen",
                                 status_text="Status")
    return course


def _person(world) -> Citizen:
    return CitizenFactory(residence_municipality=world.muni)


def _filters(world, start, end, **kw):
    return Filters(start=start, end=end, municipalities=frozenset({world.muni.pk}), **kw)


Q1 = (D(2025, 1, 1), D(2025, 3, 31))


@pytest.mark.django_db
def test_no_cases_gives_zeros_and_no_guarantee_share(world):
    s = dst.statistic(_filters(world, *Q1))
    assert (s.requests, s.starts, s.enrolments, s.ends, s.persons_in_treatment) == (0, 0, 0, 0, 0)
    assert s.contact == s.treatment == dst.CourseCounts(0, 0, 0)
    assert s.guarantee.share is None and s.guarantee.share_law is None
    assert [m.first for m in s.months] == [D(2025, 1, 1), D(2025, 2, 1), D(2025, 3, 1)]
    assert all(m.requests == 0 and m.contact.active == 0 for m in s.months)
    assert sum(n for _k, _l, n in s.end_reasons) == 0


@pytest.mark.django_db
@pytest.mark.parametrize("gap, contact_courses", [(9, 1), (10, 1), (11, 2)])
def test_the_ten_day_merge_through_the_register(world, gap, contact_courses):
    # One citizen: a course requested 1 Dec 2024 and ended 10 Jan 2025, then a new request
    # `gap` days later (19, 20 or 21 Jan). 9 and 10 days merge into 1 contact course; 11 gives
    # 2. Of the 2 register requests only the second is in Q1.
    p = _person(world)
    _course(world.muni, p, D(2024, 12, 1), D(2024, 12, 10), ended=D(2025, 1, 10),
            provider=world.provider)
    _course(world.muni, p, D(2025, 1, 10) + dt.timedelta(days=gap))
    s = dst.statistic(_filters(world, *Q1))
    assert s.requests == 1
    assert s.contact.active == contact_courses
    # Merged: the contact course began in 2024 and is open, so none begins or ends in Q1.
    # Apart: the first ends 10 Jan (in Q1) and the second begins in Q1.
    assert (s.contact.begun, s.contact.ended) == ((0, 0) if contact_courses == 1 else (1, 1))
    # Treatment courses are never merged: the first one ran into Q1 and ended there.
    assert s.treatment == dst.CourseCounts(begun=0, ended=1, active=1)


@pytest.mark.django_db
def test_a_person_with_two_courses_far_apart(world):
    # Course 1: 6 Jan - 31 Jan; course 2: 3 Mar (31 days later) - open. Two contact courses,
    # both begun in Q1; one ended; two treatment courses started; one person in treatment.
    p = _person(world)
    _course(world.muni, p, D(2025, 1, 6), D(2025, 1, 13), ended=D(2025, 1, 31),
            provider=world.provider)
    _course(world.muni, p, D(2025, 3, 3), D(2025, 3, 10), provider=world.provider)
    s = dst.statistic(_filters(world, *Q1))
    assert s.contact == dst.CourseCounts(begun=2, ended=1, active=2)
    assert s.treatment == dst.CourseCounts(begun=2, ended=1, active=2)
    assert s.persons_in_treatment == 1


@pytest.mark.django_db
def test_period_boundaries(world):
    # February 2025. A contact course counts as begun if its first request is in the period,
    # ended if its end is, and active if it runs on at least one day of the period.
    _course(world.muni, _person(world), D(2025, 1, 10), D(2025, 1, 12),
            ended=D(2025, 2, 1), provider=world.provider)        # ends on day 1: ended+active
    _course(world.muni, _person(world), D(2025, 2, 28))          # begins on the last day
    _course(world.muni, _person(world), D(2025, 1, 1), D(2025, 1, 5),
            ended=D(2025, 1, 31), provider=world.provider)       # ends the day before: none
    _course(world.muni, _person(world), D(2024, 12, 1), D(2024, 12, 5),
            provider=world.provider)                             # crosses both ends: active
    _course(world.muni, _person(world), D(2025, 3, 1))           # after: none
    s = dst.statistic(_filters(world, D(2025, 2, 1), D(2025, 2, 28)))
    # begun: the 28 Feb request = 1; ended: the 1 Feb end = 1;
    # active: 1 Feb end, 28 Feb request, the course from December = 3.
    assert s.contact == dst.CourseCounts(begun=1, ended=1, active=3)
    assert s.requests == 1
    # Treatment: started 12 Jan ended 1 Feb, and started 5 Dec open, are active; none began;
    # one ended.
    assert s.treatment == dst.CourseCounts(begun=0, ended=1, active=2)


@pytest.mark.django_db
def test_anonymous_and_non_social_courses_are_not_in_the_statistic(world):
    # DST leaves out anonymous treatment (§ 101 a) and treatment under SUL § 142 alone. An
    # anonymous citizen is a separate Citizen row with a pseudonym: it could never merge with a
    # named person's course, and here it is not counted at all.
    anon = AnonymousCitizenFactory(acting_municipality=world.muni)
    _course(world.muni, anon, D(2025, 2, 1), D(2025, 2, 2), provider=world.provider,
            tracks=("sel101a",))
    _course(world.muni, anon, D(2025, 2, 5), tracks=("sel101a",))
    _course(world.muni, _person(world), D(2025, 2, 1), D(2025, 2, 3), provider=world.provider,
            tracks=("sul142",))
    _course(world.muni, _person(world), D(2025, 2, 1), tracks=("sul141",))
    both = _course(world.muni, _person(world), D(2025, 2, 1), D(2025, 2, 4),
                   provider=world.provider, tracks=("sel101", "sul142"))
    s = dst.statistic(_filters(world, *Q1))
    # Only the § 101 + § 142 course counts.
    assert (s.requests, s.starts, s.contact.active, s.treatment.active) == (1, 1, 1, 1)
    assert s.guarantee == dst.Guarantee(kept=1, kept_law=1)  # 3 days
    assert not both.citizen.is_anonymous and anon.is_anonymous


@pytest.mark.django_db
def test_another_municipalitys_courses_are_not_counted(world):
    p = CitizenFactory(residence_municipality=world.muni2)
    _course(world.muni2, p, D(2025, 2, 1), D(2025, 2, 3), provider=world.provider)
    assert dst.statistic(_filters(world, *Q1)).requests == 0
    both = Filters(start=Q1[0], end=Q1[1], municipalities=frozenset({world.muni.pk,
                                                                     world.muni2.pk}))
    assert dst.statistic(both).requests == 1


@pytest.mark.django_db
def test_courses_in_two_municipalities_do_not_merge(world):
    # DST's KONTAKTFORLOEBID: one open contact course per person *and municipality*; a person
    # who moves can have one in each. Same citizen, Solrød course ends 10 Jan, Køge request
    # 12 Jan: 2 contact courses over both municipalities, not 1.
    p = _person(world)
    _course(world.muni, p, D(2025, 1, 2), D(2025, 1, 3), ended=D(2025, 1, 10),
            provider=world.provider)
    _course(world.muni2, p, D(2025, 1, 12))
    both = Filters(start=Q1[0], end=Q1[1], municipalities=frozenset({world.muni.pk,
                                                                     world.muni2.pk}))
    assert dst.statistic(both).contact == dst.CourseCounts(begun=2, ended=1, active=2)


@pytest.mark.django_db
def test_guarantee_against_the_own_standard_and_the_law(world):
    # Solrød promises 10 days. Starts in Q1: 10 days (kept), 14 days (broken against 10, kept
    # against the law's 14), 15 days (broken both), free choice after 40 days (waived).
    adopted(world.muni, guarantee_days=10)
    for wait in (10, 14, 15):
        _course(world.muni, _person(world), D(2025, 2, 1),
                D(2025, 2, 1) + dt.timedelta(days=wait), provider=world.provider)
    _course(world.muni, _person(world), D(2025, 1, 1), D(2025, 2, 10), provider=world.provider,
            free_choice=True)
    g = dst.statistic(_filters(world, *Q1)).guarantee
    assert g == dst.Guarantee(kept=1, broken=2, waived=1, kept_law=2)
    assert g.share == pytest.approx(1 / 3)     # 1 kept / (1 + 2)
    assert g.share_law == pytest.approx(2 / 3)  # 2 kept / 3 under a guarantee


@pytest.mark.django_db
def test_worked_example(world):
    """Q1 2025 in Solrød, every figure by hand.

    A: A1 requested 20 Nov 2024, started 1 Dec, ended 10 Jan 2025 (færdigbehandlet, ophørt);
       A2 requested 20 Jan (10 days after the end: merges), started 5 Feb, enrolled 7 Feb, open.
    B: B1 requested 3 Feb, started 17 Feb (day 14), enrolled 20 Feb, ended 5 Mar (ønsker stop,
       uændret); B2 requested 17 Mar (12 days after: a new contact course), not started.
    C: requested 25 Mar, started 10 Apr (after Q1), open.
    D: requested 1 Jun 2024, started 10 Jun, ended 31 Dec 2024: before Q1.
    E: requested 6 Jan, free choice, started and enrolled 5 Feb, ended 31 Mar (udeblevet,
       ukendt).
    F: anonymous § 101 a, requested 1 Feb, started 2 Feb: not in the statistic.
    G: Køge's citizen, requested 1 Feb: outside the selection.
    """
    prov = world.provider
    a, b, c, d, e = (_person(world) for _ in range(5))
    _course(world.muni, a, D(2024, 11, 20), D(2024, 12, 1), ended=D(2025, 1, 10), provider=prov)
    _course(world.muni, a, D(2025, 1, 20), D(2025, 2, 5), D(2025, 2, 7), provider=prov)
    _course(world.muni, b, D(2025, 2, 3), D(2025, 2, 17), D(2025, 2, 20), ended=D(2025, 3, 5),
            provider=prov, reason="oensker_stop", use="uaendret")
    _course(world.muni, b, D(2025, 3, 17))
    _course(world.muni, c, D(2025, 3, 25), D(2025, 4, 10), provider=prov)
    _course(world.muni, d, D(2024, 6, 1), D(2024, 6, 10), ended=D(2024, 12, 31), provider=prov)
    _course(world.muni, e, D(2025, 1, 6), D(2025, 2, 5), ended=D(2025, 3, 31), provider=prov,
            reason="udeblevet", use="ukendt", free_choice=True)
    _course(world.muni, AnonymousCitizenFactory(acting_municipality=world.muni), D(2025, 2, 1),
            D(2025, 2, 2), provider=prov, tracks=("sel101a",))
    _course(world.muni2, CitizenFactory(residence_municipality=world.muni2), D(2025, 2, 1))

    s = dst.statistic(_filters(world, *Q1))
    # Requests in Q1: A2 20 Jan, E 6 Jan | B1 3 Feb | B2 17 Mar, C 25 Mar = 2 + 1 + 2 = 5.
    # Starts: A2 5 Feb, B1 17 Feb, E 5 Feb = 3 (all February). Enrolments: 7, 20, 5 Feb = 3.
    # Ends: A1 10 Jan | - | B1 5 Mar, E 31 Mar = 1 + 0 + 2 = 3.
    assert (s.requests, s.starts, s.enrolments, s.ends) == (5, 3, 3, 3)
    # Contact courses: A [20 Nov 2024, open] (A1+A2), B [3 Feb, 5 Mar], B [17 Mar, open],
    # C [25 Mar, open], D [1 Jun, 31 Dec 2024], E [6 Jan, 31 Mar].
    # Begun in Q1: B, B, C, E = 4. Ended: B (5 Mar), E (31 Mar) = 2. Active: all but D = 5.
    assert s.contact == dst.CourseCounts(begun=4, ended=2, active=5)
    # Treatment courses: A1 [1 Dec, 10 Jan], A2 [5 Feb, open], B1 [17 Feb, 5 Mar],
    # C [10 Apr, open], D [10 Jun, 31 Dec 2024], E [5 Feb, 31 Mar].
    # Begun = starts = 3, ended = ends = 3, active: A1, A2, B1, E = 4 (A, B, E: 3 persons).
    assert s.treatment == dst.CourseCounts(begun=3, ended=3, active=4)
    assert s.persons_in_treatment == 3
    # Ends: A1 færdigbehandlet/ophørt, B1 ønsker stop/uændret, E udeblevet/ukendt.
    reasons = {k: n for k, _label, n in s.end_reasons}
    assert reasons["faerdigbehandlet"] == reasons["oensker_stop"] == reasons["udeblevet"] == 1
    assert sum(reasons.values()) == 3
    assert [(k, n) for k, _label, n in s.end_status] == [
        ("stoffri", 1), ("reduceret_stabiliseret", 1), ("andet", 1)]
    # Guarantee over Q1 starts: A2 20 Jan -> 5 Feb = 16 days (broken), B1 14 days (kept),
    # E free choice (waived). Share kept: 1 / (1 + 1) = 0.5.
    assert s.guarantee == dst.Guarantee(kept=1, broken=1, waived=1, kept_law=1)
    assert s.guarantee.share == 0.5

    jan, feb, mar = s.months
    # Requests 2 | 1 | 2; starts 0 | 3 | 0; enrolments 0 | 3 | 0; ends 1 | 0 | 2.
    assert [(m.requests, m.starts, m.enrolments, m.ends) for m in s.months] == [
        (2, 0, 0, 1), (1, 3, 3, 0), (2, 0, 0, 2)]
    # Contact, January: begun E (6 Jan); ended none (A1's end on 10 Jan is inside the merged
    # A course); active A, E = 2. February: begun B1; active A, B1, E = 3. March: begun B2, C;
    # ended B1, E; active A, B1, B2, C, E = 5.
    assert jan.contact == dst.CourseCounts(begun=1, ended=0, active=2)
    assert feb.contact == dst.CourseCounts(begun=1, ended=0, active=3)
    assert mar.contact == dst.CourseCounts(begun=2, ended=2, active=5)
    # Treatment active: January A1 = 1; February A2, B1, E = 3; March A2, B1, E = 3.
    assert [m.treatment for m in s.months] == [
        dst.CourseCounts(0, 1, 1), dst.CourseCounts(3, 0, 3), dst.CourseCounts(0, 2, 3)]
    # The month rows add up to the period's event counts.
    assert sum(m.requests for m in s.months) == s.requests
    assert sum(m.ends for m in s.months) == s.ends


@pytest.mark.django_db
def test_a_period_inside_a_month_is_clipped(world):
    # 10-20 February: the month row is the clipped period and counts only its days.
    _course(world.muni, _person(world), D(2025, 2, 5))
    _course(world.muni, _person(world), D(2025, 2, 15))
    s = dst.statistic(_filters(world, D(2025, 2, 10), D(2025, 2, 20)))
    assert [(m.first, m.last, m.requests) for m in s.months] == [
        (D(2025, 2, 10), D(2025, 2, 20), 1)]
    # The 5 Feb course is open, so it is active though begun before the period: 2 active.
    assert s.contact == dst.CourseCounts(begun=1, ended=0, active=2)


@pytest.mark.django_db
def test_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    # One query per event kind and figure, never one per course: 20 courses, same count as 1.
    for i in range(20):
        _course(world.muni, _person(world), D(2025, 1, 1) + dt.timedelta(days=i),
                D(2025, 1, 20) + dt.timedelta(days=i), ended=D(2025, 3, 1),
                provider=world.provider)
    with django_assert_max_num_queries(8):
        dst.statistic(_filters(world, *Q1))
