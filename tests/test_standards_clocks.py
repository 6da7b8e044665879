"""Issue 7 item 2 and acceptance 1: the clocks read the version of the quality standard in force
on the day each clock started, so a new version changes new clocks and leaves running ones
alone; and a standard below the legal minimum is refused."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from forlob import clock
from forlob.pathway import services as pathway_services
from forlob.pathway.models import Contact
from forlob.standards import services
from forlob.standards.levels import levels_on
from forlob.standards.models import ServiceStandard, Status
from forlob.treatment.models import FollowUp, Review

from .factories import CitizenFactory
from .factories_standards import adopted
from .test_treatment_aftercare import (
    _discharge,
    _req,
    add_plan,
    fresh,
    names,
    started_course,
)

D = dt.date


def _second_citizen(world):
    """started_course() uses world.citizen; a second course needs another citizen."""
    world.citizen = CitizenFactory(residence_municipality=world.muni, first_name="Bo")
    return world


def test_new_review_interval_applies_from_the_next_review_only(world):
    course = started_course(world)
    add_plan(world.clinician, course)  # 11 June, under the law's 3 months
    assert names(course)["review"] == D(2026, 9, 11)
    adopted(world.muni, valid_from=D(2026, 6, 13), review_months_sel101=2)
    assert names(course)["review"] == D(2026, 9, 11)  # the running clock does not move
    from forlob.treatment import services as treatment_services
    plan = treatment_services.current_plan(fresh(course))
    treatment_services.add_review(_req(world.clinician), fresh(course),
                                  Review(held_on=D(2026, 6, 14)),
                                  {g.pk: "partly" for g in plan.goals.all()})
    assert names(course)["review"] == D(2026, 8, 14)  # the next clock: 2 months


def test_new_follow_up_offsets_apply_to_later_discharges_only(world):
    first = started_course(world)
    _discharge(world, first, D(2026, 6, 12))
    adopted(world.muni, valid_from=D(2026, 6, 13), follow_up_first_days=21,
            follow_up_second_days=90)
    assert list(FollowUp.objects.filter(course=first).values_list("due", flat=True)) == [
        D(2026, 7, 12), D(2026, 12, 12)]  # stored at discharge, unchanged
    second = started_course(_second_citizen(world))
    _discharge(world, second, D(2026, 6, 14))
    assert list(FollowUp.objects.filter(course=second).values_list("due", flat=True)) == [
        D(2026, 7, 5), D(2026, 9, 12)]


def test_promised_reasons_create_follow_ups_only_when_promised(world):
    from forlob.treatment import services as treatment_services
    from forlob.treatment.models import Discharge

    def discharge(course, day):
        treatment_services.discharge(_req(world.caseworker), fresh(course), Discharge(
            discharged_on=day, reason="udeblevet", use_status="uaendret", housing="egen",
            means_of_support="loen", status_text="Udeblev"))

    first = started_course(world)
    discharge(first, D(2026, 6, 12))
    assert not FollowUp.objects.filter(course=first).exists()  # not one of the law's four
    adopted(world.muni, valid_from=D(2026, 6, 13), follow_up_reasons=["udeblevet"])
    second = started_course(_second_citizen(world))
    discharge(second, D(2026, 6, 14))
    assert FollowUp.objects.filter(course=second).count() == 2


def test_new_guarantee_applies_to_requests_from_its_first_day(world):
    req = _req(world.caseworker)
    old = pathway_services.open_course(req, world.citizen, Contact(
        received_on=D(2026, 6, 1), channel="phone", substances="drugs", asks="treatment"),
        tracks=["sel101"])
    adopted(world.muni, valid_from=D(2026, 6, 3), guarantee_days=10)
    new = pathway_services.open_course(req, _second_citizen(world).citizen, Contact(
        received_on=D(2026, 6, 4), channel="phone", substances="drugs", asks="treatment"),
        tracks=["sel101"])
    due = {c: {k.name: k.due for k in pathway_services.course_clocks(c)} for c in (old, new)}
    assert due[old]["guarantee"] == D(2026, 6, 15)  # 14 days, as promised when requested
    assert due[new]["guarantee"] == D(2026, 6, 14)  # 10 days


def test_plan_days_read_at_treatment_start(world):
    course = started_course(world)  # started 10 June, under the law's 14 days
    adopted(world.muni, valid_from=D(2026, 6, 11), plan_days=5)
    assert names(course)["plan"] == D(2026, 6, 24)
    later = started_course(_second_citizen(world), day=D(2026, 6, 12))
    assert names(later)["plan"] == D(2026, 6, 17)


def test_adoption_through_the_service_takes_effect_from_valid_from(world):
    draft = services.create_draft(world.leader, world.muni)
    services.save_draft(world.leader, draft, {
        "guarantee_days": 7, "involvement": "Brugerrådet", "involved_on": D(2026, 6, 1)},
        draft.version)
    services.adopt(world.leader, draft, D(2026, 6, 10), D(2026, 6, 20), draft.version)
    course = started_course(world)  # requested 1 June
    due = {c.name: c.due for c in pathway_services.course_clocks(fresh(course))}
    assert due["guarantee"] == D(2026, 6, 15)  # requested 1 June: the law's 14 days
    with clock.frozen(D(2026, 6, 20)):
        other = pathway_services.open_course(_req(world.caseworker),
                                             _second_citizen(world).citizen, Contact(
            received_on=D(2026, 6, 20), channel="phone", substances="drugs",
            asks="treatment"), tracks=["sel101"])
        due = {c.name: c.due for c in pathway_services.course_clocks(other)}
    assert due["guarantee"] == D(2026, 6, 27)


@pytest.mark.parametrize(("field", "value", "key"), [
    ("guarantee_days", 15, "guarantee_days"), ("follow_up_first_days", 29, None),
    ("follow_up_second_days", 182, None), ("plan_days", 31, None),
    ("review_months_sul141", 7, "review_months"), ("supervision_months", 13, None),
])
def test_below_the_legal_minimum_is_refused_and_nothing_saved(world, field, value, key):
    draft = services.create_draft(world.leader, world.muni)
    before = ServiceStandard.objects.get(pk=draft.pk)
    with pytest.raises(ValidationError) as exc:
        services.save_draft(world.leader, draft, {field: value}, draft.version)
    assert list(exc.value.message_dict) == [key or field]
    after = ServiceStandard.objects.get(pk=draft.pk)
    assert getattr(after, field) == getattr(before, field) and after.version == before.version


def test_the_database_refuses_a_longer_guarantee_or_later_follow_up(world):
    for values in ({"guarantee_days": 15}, {"follow_up_first_days": 29},
                   {"follow_up_second_days": 200}):
        with pytest.raises(IntegrityError), transaction.atomic():
            ServiceStandard.objects.create(municipality=world.muni, number=9, **values)


def test_adopted_versions_are_frozen_and_backdating_refused(world):
    draft = services.create_draft(world.leader, world.muni)
    services.save_draft(world.leader, draft, {"involvement": "Brugerrådet",
                                              "involved_on": D(2026, 6, 1)}, draft.version)
    # today (15 June) is too early: a clock started earlier today would move
    for too_early in (D(2026, 6, 14), D(2026, 6, 15)):
        with pytest.raises(ValidationError) as exc:
            services.adopt(world.leader, draft, D(2026, 6, 10), too_early, draft.version)
        assert list(exc.value.message_dict) == ["valid_from"]
    assert ServiceStandard.objects.get(pk=draft.pk).status == Status.DRAFT
    services.adopt(world.leader, draft, D(2026, 6, 10), D(2026, 6, 16), draft.version)
    with pytest.raises(ValidationError):
        services.save_draft(world.leader, draft, {"guarantee_days": 7}, draft.version)
    assert ServiceStandard.objects.get(pk=draft.pk).guarantee_days == 14


def test_adoption_needs_user_organisations_involved(world):
    draft = services.create_draft(world.leader, world.muni)
    with pytest.raises(ValidationError) as exc:
        services.adopt(world.leader, draft, D(2026, 6, 10), D(2026, 6, 15), draft.version)
    assert "involvement" in exc.value.message_dict
    assert ServiceStandard.objects.get(pk=draft.pk).status == Status.DRAFT


def test_a_new_draft_copies_the_latest_version(world):
    first = adopted(world.muni, guarantee_days=9, follow_up_second_days=120)
    first.sections = {"target": "Voksne"}
    first.save()
    draft = services.create_draft(world.leader, world.muni)
    assert (draft.number, draft.guarantee_days, draft.follow_up_second_days) == (2, 9, 120)
    assert draft.sections == {"target": "Voksne"} and draft.status == Status.DRAFT
    assert draft.complaint_routes.count() == first.complaint_routes.count() == 4
    assert draft.involvement == "" and draft.valid_from is None
    with pytest.raises(ValidationError):
        services.create_draft(world.leader, world.muni)  # one draft at a time


def test_a_new_version_cannot_start_before_one_already_adopted(world):
    adopted(world.muni, valid_from=D(2027, 1, 1), adopted_on=D(2026, 6, 1))
    draft = services.create_draft(world.leader, world.muni)
    services.save_draft(world.leader, draft, {"involvement": "Brugerrådet",
                                              "involved_on": D(2026, 6, 1)}, draft.version)
    with pytest.raises(ValidationError) as exc:
        services.adopt(world.leader, draft, D(2026, 6, 10), D(2026, 12, 1), draft.version)
    assert list(exc.value.message_dict) == ["valid_from"]
    services.adopt(world.leader, draft, D(2026, 6, 10), D(2027, 1, 1), draft.version)
    assert levels_on(world.muni.pk, D(2027, 1, 1)).guarantee_days == draft.guarantee_days
    assert ServiceStandard.objects.get(pk=draft.pk).status == Status.ADOPTED


def test_involvement_must_come_before_the_decision(world):
    draft = services.create_draft(world.leader, world.muni)
    services.save_draft(world.leader, draft, {"involvement": "Brugerrådet",
                                              "involved_on": D(2026, 6, 12)}, draft.version)
    with pytest.raises(ValidationError) as exc:
        services.adopt(world.leader, draft, D(2026, 6, 10), D(2026, 7, 1), draft.version)
    assert list(exc.value.message_dict) == ["involvement"]


def test_who_follows_up_is_the_promise_in_force_at_discharge(world):
    from forlob.treatment.rules import Party
    from forlob.treatment.worklist import items_for

    course = started_course(world)
    _discharge(world, course, D(2026, 6, 12))
    adopted(world.muni, valid_from=D(2026, 6, 13), follow_up_by="municipality")
    assert {r.clock.name for r in items_for(fresh(course), Party.CLINICIAN)} == {
        "follow_up_1", "follow_up_2"}
    assert items_for(fresh(course), Party.CASEWORKER) == []
    later = started_course(_second_citizen(world))
    _discharge(world, later, D(2026, 6, 14))
    assert items_for(fresh(later), Party.CLINICIAN) == []
    assert {r.clock.name for r in items_for(fresh(later), Party.CASEWORKER)} == {
        "follow_up_1", "follow_up_2"}
