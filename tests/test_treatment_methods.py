"""The method catalogue (retningslinje 2.1.1): a plan names documented methods from it; a
retired method cannot be chosen for a new plan, and old plans keep naming it."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from forlob.pathway.models import Course
from forlob.treatment import services
from forlob.treatment.models import Method, TreatmentPlan

from .test_treatment_aftercare import AGREED, _req, started_course
from .test_treatment_services import goal

pytestmark = pytest.mark.django_db


def test_guideline_methods_are_seeded():
    names = set(Method.objects.values_list("name", flat=True))
    assert {"Motiverende Interview (MI)", "Kognitiv adfærdsterapi (KAT)"} <= names
    assert not Method.objects.exclude(knowledge_level="").exists()  # not graded by us


def test_plan_names_methods_and_a_retired_one_is_refused(world):
    course = started_course(world)
    mi, kat = Method.objects.get(name__startswith="Motiverende"), Method.objects.get(
        name__startswith="Kognitiv")
    plan = services.add_plan(_req(world.clinician), course, TreatmentPlan(
        agreed_on=AGREED, content="Samtaler"), [goal()], [mi, kat])
    assert set(plan.catalogue_methods.all()) == {mi, kat}
    kat.active = False
    kat.save()
    course = Course.objects.get(pk=course.pk)
    with pytest.raises(ValidationError):
        services.add_plan(_req(world.clinician), course, TreatmentPlan(
            agreed_on=AGREED, content="Ny version"), [goal()], [kat])
    assert TreatmentPlan.objects.filter(course=course).count() == 1
    assert kat in plan.catalogue_methods.all()  # the old plan keeps it


def test_plan_form_and_api_take_methods(world, login):
    course = started_course(world)
    mi = Method.objects.get(name__startswith="Motiverende")
    client = login(world.clinician)
    page = client.get(reverse("pathway:case", args=[course.pk])).content.decode()
    assert "Metoder fra metodekataloget" in page and mi.name in page
    response = client.post(reverse("v1:course-treatment-plans", args=[course.pk]), {
        "version": course.version, "agreed_on": "2026-06-11", "content": "Samtaler",
        "catalogue_methods": [mi.pk],
        "goals": [{"text": "Stoppe", "goal_type": "ophoer", "need_domain": "intoxicants"}]},
        content_type="application/json")
    assert response.status_code == 201, response.content
    assert list(TreatmentPlan.objects.get(course=course).catalogue_methods.all()) == [mi]
    methods = client.get(reverse("v1:method-list")).json()
    assert mi.name in {m["name"] for m in methods}
    course = Course.objects.get(pk=course.pk)
    unknown = client.post(reverse("v1:course-treatment-plans", args=[course.pk]), {
        "version": course.version, "agreed_on": "2026-06-11", "content": "Samtaler",
        "catalogue_methods": [987654],
        "goals": [{"text": "Stoppe", "goal_type": "ophoer", "need_domain": "intoxicants"}]},
        content_type="application/json")
    assert unknown.status_code == 400
    assert TreatmentPlan.objects.filter(course=course).count() == 1
