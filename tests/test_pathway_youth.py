"""Youth under 18 (issue 3 item 4): the case page flags the citizen, offers routing to the
children and youth service and the custody holders; both are recorded through the services,
audited, version-checked, and refused out of scope (404)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory

from forlob.audit.models import Action, AuditEvent
from forlob.locking import StaleRecord
from forlob.pathway import services
from forlob.pathway.models import Contact, Course, CustodyHolder

from .factories import CitizenFactory, make_user

D = dt.date
YOUTH_CPR = "0101104123"  # born 1 January 2010: 16 years old on 15 June 2026
CUSTODY = "foraeldremyndighed"
ROUTE = "boerne-og-ungeomraadet"


def _request(user):
    request = RequestFactory().post("/")
    request.user = user
    return request


def _open(user, citizen):
    return services.open_course(_request(user), citizen, Contact(
        received_on=D(2026, 6, 10), channel="phone", substances="alcohol", asks="treatment"),
        tracks=["sel101"])


@pytest.fixture
def youth(world):
    return CitizenFactory(residence_municipality=world.muni, first_name="Emil",
                          last_name="Ung", cpr_plain=YOUTH_CPR)


@pytest.fixture
def youth_course(world, youth):
    return _open(world.caseworker, youth)


@pytest.fixture
def adult_course(world):
    return _open(world.caseworker, world.citizen)


@pytest.fixture
def cw(world, login):
    return login(world.caseworker)


def fresh(course):
    return Course.objects.get(pk=course.pk)


def post(client, course, slug, data, version=None, htmx=False):
    body = {f"{slug}-{k}": v for k, v in data.items()}
    body[f"{slug}-version"] = fresh(course).version if version is None else version
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(f"/forloeb/{course.pk}/{slug}/", body, **headers)


def events_after(pk):
    return list(AuditEvent.objects.filter(pk__gt=pk).order_by("pk"))


def last_event():
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


# --- The case page -------------------------------------------------------------------------------

def test_youth_case_page_shows_the_youth_section_first_with_open_forms(cw, youth_course):
    page = cw.get(f"/forloeb/{youth_course.pk}/").content.decode()
    assert "Borgeren er under 18 år" in page
    section = page.index('id="unge"')
    assert section < page.index("<h2>Frister</h2>")
    # Both forms sit in the youth section, open while nothing is recorded.
    for slug in (ROUTE, CUSTODY):
        form = page.index(f'id="trin-{slug}"')
        assert section < form < page.index("<h2>Frister</h2>")
        assert "<details class=\"details\" open>" in page[form:form + 200]
    assert 'name="foraeldremyndighed-name"' in page and 'type="tel"' in page
    assert "Der er ikke registreret forældremyndighedsindehavere." in page


def test_adult_case_page_offers_the_forms_among_the_steps_only(cw, adult_course):
    page = cw.get(f"/forloeb/{adult_course.pk}/").content.decode()
    assert 'id="unge"' not in page and "Borgeren er under 18 år" not in page
    register = page.index("<h2>Registrér</h2>")
    assert page.index(f'id="trin-{CUSTODY}"') > register
    assert page.index(f'id="trin-{ROUTE}"') > register


# --- Custody holders -----------------------------------------------------------------------------

def test_custody_holder_is_recorded_shown_and_audited(world, cw, youth, youth_course):
    before, version = last_event(), fresh(youth_course).version
    response = post(cw, youth_course, CUSTODY,
                    {"name": "Hanne Ung", "relation": "mor", "phone": "12345678"})
    assert response.status_code == 302
    holder = CustodyHolder.objects.get(course=youth_course)
    assert (holder.name, holder.relation, holder.phone) == ("Hanne Ung", "mor", "12345678")
    assert fresh(youth_course).version == version + 1
    [event] = events_after(before)
    assert (event.action, event.citizen_id, event.user_id) == (
        Action.CREATE, youth.pk, world.caseworker.pk)
    assert (event.object_type, event.object_id) == ("pathway.CustodyHolder", str(holder.pk))
    page = cw.get(f"/forloeb/{youth_course.pk}/").content.decode()
    assert "<caption>Forældremyndighedsindehavere</caption>" in page
    assert "Hanne Ung" in page and "12345678" in page


def test_custody_holder_through_htmx_swaps_the_case_body(cw, youth_course):
    response = post(cw, youth_course, CUSTODY, {"name": "Per Ung", "relation": "far"},
                    htmx=True)
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#case-body"
    page = response.content.decode()
    assert "Forældremyndighedsindehaver er gemt." in page and "Per Ung" in page


def test_custody_holder_needs_a_name(cw, youth_course):
    version = fresh(youth_course).version
    response = post(cw, youth_course, CUSTODY, {"name": "  ", "relation": "mor"})
    assert response.status_code == 400
    assert "Udfyld feltet." in response.content.decode()
    assert not CustodyHolder.objects.exists()
    assert fresh(youth_course).version == version


def test_service_refuses_a_blank_name_and_another_municipality(world, youth_course):
    with pytest.raises(ValidationError) as exc:
        services.add_custody_holder(_request(world.caseworker), fresh(youth_course),
                                    CustodyHolder(name=" "))
    assert "Skriv navnet på forældremyndighedsindehaveren." in exc.value.message_dict["name"]
    other = make_user("caseworker", world.muni2, "koege")
    with pytest.raises(PermissionDenied):
        services.add_custody_holder(_request(other), fresh(youth_course),
                                    CustodyHolder(name="Hanne Ung"))
    assert not CustodyHolder.objects.exists()


def test_custody_holder_can_be_recorded_on_any_course(cw, adult_course):
    response = post(cw, adult_course, CUSTODY, {"name": "Værge Vilhelmsen", "relation": "værge"})
    assert response.status_code == 302
    assert CustodyHolder.objects.get(course=adult_course).name == "Værge Vilhelmsen"
    page = cw.get(f"/forloeb/{adult_course.pk}/").content.decode()
    # Something is recorded, so the section shows it (without the under-18 flag).
    assert 'id="unge"' in page and "Værge Vilhelmsen" in page
    assert "Borgeren er under 18 år" not in page


def test_stale_version_is_refused(cw, youth_course):
    stale = fresh(youth_course).version
    post(cw, youth_course, CUSTODY, {"name": "Hanne Ung"})
    response = post(cw, youth_course, ROUTE, {"routed_on": "2026-06-12"}, version=stale)
    assert response.status_code == 400
    assert "Sagen blev ændret af en anden" in response.content.decode()
    assert fresh(youth_course).youth_routed_on is None
    with pytest.raises(StaleRecord):
        course = fresh(youth_course)
        course.version = stale
        services.add_custody_holder(_request(youth_course.caseworker), course,
                                    CustodyHolder(name="Per Ung"))
    assert CustodyHolder.objects.count() == 1


# --- Routing to the children and youth service ---------------------------------------------------

def test_routing_is_recorded_shown_and_audited(world, cw, youth, youth_course):
    before, version = last_event(), fresh(youth_course).version
    response = post(cw, youth_course, ROUTE, {"routed_on": "2026-06-12"})
    assert response.status_code == 302
    course = fresh(youth_course)
    assert course.youth_routed_on == D(2026, 6, 12)
    assert course.version == version + 1
    [event] = events_after(before)
    assert (event.action, event.citizen_id) == (Action.UPDATE, youth.pk)
    assert (event.object_type, event.object_id) == ("pathway.Course", str(course.pk))
    assert event.purpose == "henvist til børne- og ungeområdet"
    page = cw.get(f"/forloeb/{course.pk}/").content.decode()
    assert "12. juni 2026" in page[page.index('id="unge"'):page.index("<h2>Frister</h2>")]
    # Recorded: the routing form stays (to correct the day) but is no longer open by default.
    form = page.index(f'id="trin-{ROUTE}"')
    assert "<details class=\"details\">" in page[form:form + 200]
    assert 'value="2026-06-12"' in page


def test_routing_in_the_future_is_refused(cw, youth_course):
    version = fresh(youth_course).version
    response = post(cw, youth_course, ROUTE, {"routed_on": "2026-06-16"})
    assert response.status_code == 400
    assert "Datoen ligger i fremtiden." in response.content.decode()
    assert fresh(youth_course).youth_routed_on is None
    assert fresh(youth_course).version == version


def test_routing_in_the_future_is_refused_through_htmx(cw, youth_course):
    response = post(cw, youth_course, ROUTE, {"routed_on": "2026-07-01"}, htmx=True)
    assert response.status_code == 200  # htmx swaps the section with its error
    page = response.content.decode()
    assert f'id="trin-{ROUTE}"' in page and "Datoen ligger i fremtiden." in page
    assert fresh(youth_course).youth_routed_on is None


def test_route_youth_service_validates(world, youth_course):
    request = _request(world.caseworker)
    with pytest.raises(ValidationError) as exc:
        services.route_youth(request, fresh(youth_course), None)
    assert "youth_routed_on" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.route_youth(request, fresh(youth_course), D(2026, 6, 16))
    assert exc.value.message_dict["youth_routed_on"] == ["Datoen ligger i fremtiden."]
    assert fresh(youth_course).youth_routed_on is None


def test_routing_can_be_recorded_on_any_course(world, adult_course):
    course = services.route_youth(_request(world.caseworker), fresh(adult_course),
                                  D(2026, 6, 11))
    assert fresh(course).youth_routed_on == D(2026, 6, 11)


# --- Scope ---------------------------------------------------------------------------------------

def test_out_of_scope_and_read_only_users_get_404(world, login, adult_course):
    outsider = _open(make_user("caseworker", world.muni3, "faxe"),
                     CitizenFactory(residence_municipality=world.muni3, cpr_plain="0202104123"))
    cw = login(world.caseworker)
    for slug, data in ((CUSTODY, {"name": "Hanne"}), (ROUTE, {"routed_on": "2026-06-12"})):
        assert post(cw, outsider, slug, data).status_code == 404
    # A clinician sees a referred citizen's case page, without the forms, and never records.
    clinician = login(world.clinician, client=type(cw)())
    page = clinician.get(f"/forloeb/{adult_course.pk}/")
    assert page.status_code == 200 and f'id="trin-{CUSTODY}"' not in page.content.decode()
    for slug, data in ((CUSTODY, {"name": "Hanne"}), (ROUTE, {"routed_on": "2026-06-12"})):
        assert post(clinician, adult_course, slug, data).status_code == 404
    assert not CustodyHolder.objects.exists()
    assert fresh(outsider).youth_routed_on is None
    assert fresh(adult_course).youth_routed_on is None


def test_get_is_not_allowed(cw, youth_course):
    assert cw.get(f"/forloeb/{youth_course.pk}/{CUSTODY}/").status_code == 405
