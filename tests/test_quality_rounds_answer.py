"""A municipality's answers (issue 6 item 2 and "Bad input"): the answer page, saving a draft,
each bad input of the issue (unanswered mandatory items, a missing plan, text over the limit,
an answer to a greyed recommendation) refused with a message while the draft is kept,
submitting, returning with comments, approving, the history, optimistic locking, scoping and
garbage input."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from forlob.accounts.models import Role
from forlob.quality import evidence, services_resolutions
from forlob.quality import services_rounds as services
from forlob.quality.forms_answer import AnswerForm
from forlob.quality.models import (
    Answer,
    Category,
    Framework,
    Item,
    ItemKind,
    Participant,
    ParticipantEvent,
    Resolution,
    Round,
    Section,
    Status,
)
from forlob.quality.outcomes import round_outcomes

from .factories import PurchaseAgreementFactory, make_user
from .factories_quality import answer, item, make_round, mini_kl

LONG = "\n".join(f"linje {i}" for i in range(1, 7))  # six lines: one over "maks. 5 linjer"


def url(name, *args):
    return reverse(f"quality:{name}", args=args)


@pytest.fixture
def fw(db):
    fw = mini_kl()
    greyed = Section.objects.get(framework=fw, number="3")
    Item.objects.create(section=greyed, number="3.1", kind=ItemKind.INDICATOR,
                        text="Nationale retningslinjer udarbejdes.", mandatory=True, order=0)
    return fw


@pytest.fixture
def rnd(world, fw):
    return make_round(fw, cluster=world.cluster, municipalities=[world.muni, world.muni2],
                      user=world.coordinator)


@pytest.fixture
def p(world, rnd):
    return Participant.objects.get(round=rnd, municipality=world.muni)


def name(fw, number, part, area=""):
    return f"s{item(fw, number).pk}-{area or 'hel'}-{part}"


def post(fw, participant, answers=(), action="gem", version=None):
    """The answer form's POST: `answers` as (number, part, value[, area])."""
    data = {"loaded_version": participant.version if version is None else version,
            "handling": action}
    for number, part_, value, *area in answers:
        key = name(fw, number, part_, area[0] if area else "")
        if part_ == "ticks":
            data.setdefault(key, []).append(value)
        else:
            data[key] = value
    return data


COMPLETE = [("1.1", "choice", "ja"), ("1.2", "choice", "ja"), ("5.1", "choice", "ja"),
            ("5.2", "choice", "ja"), ("9.1", "choice", "ja")]


def stored(participant):
    return {(a.item.number, a.area): a for a in
            Answer.objects.filter(participant=participant).select_related("item")}


def fresh(participant):
    return Participant.objects.get(pk=participant.pk)


# --- The page --------------------------------------------------------------------------------

def test_leader_gets_the_form_with_greyed_sections_unanswerable(world, login, fw, p):
    response = login(world.leader).get(url("answer_edit", p.pk))
    assert response.status_code == 200
    text = response.content.decode()
    assert f'name="{name(fw, "1.1", "choice")}"' in text
    assert f'name="{name(fw, "1.1", "text")}"' in text  # "hvordan/giv eksempler"
    assert f'name="{name(fw, "5.1", "text")}"' not in text  # no text box in the scheme
    assert f'name="{name(fw, "9.3", "ticks")}"' in text
    assert "Besvares ikke" in text and "bg-alternative" in text
    assert f'name="{name(fw, "3.1", "choice")}"' not in text
    assert "Maks. 5 linjer" in text


def test_purchase_relations_are_shown_not_typed(world, login, p):
    PurchaseAgreementFactory(municipality=world.muni, provider=world.provider,
                             valid_from=dt.date(2025, 1, 1))
    PurchaseAgreementFactory(municipality=world.muni, provider=world.provider2,
                             valid_from=dt.date(2024, 1, 1), valid_to=dt.date(2025, 6, 30))
    text = login(world.leader).get(url("answer_edit", p.pk)).content.decode()
    assert "Misbrugscenter Øst" in text and "Køge" in text
    assert "Privat Alkoholklinik" not in text  # ended before the round's period


def test_evidence_is_shown_beside_the_indicator(world, login, fw, p, monkeypatch):
    seen = {}

    def fake(rnd, municipality, answers=None):
        seen.update(answers or {})
        return {"5.2": evidence.Evidence(
            "5.2", "follow_up_1", "Opfølgning efter 1 md.", "12 %", 0.12, True,
            "Svaret er ja, men 12 % af udskrivningerne fik opfølgning efter 1 md.")}

    monkeypatch.setattr(evidence, "evidence_for", fake)
    answer(p, fw, "5.2", "ja")
    text = login(world.leader).get(url("answer_edit", p.pk)).content.decode()
    assert "Målt: 12 % (Opfølgning efter 1 md.)" in text
    assert "Svaret er ja, men 12 % af udskrivningerne" in text
    assert seen == {"5.2": "ja"}


# --- Saving a draft --------------------------------------------------------------------------

def test_save_draft_writes_answers_and_history(world, login, fw, p):
    response = login(world.leader).post(url("answer_edit", p.pk), post(fw, p, [
        ("1.1", "choice", "ja"), ("1.1", "text", "Familiesamtaler hver måned."),
        ("9.3", "ticks", "Medicinsk")]))
    assert response.status_code == 302
    answers = stored(p)
    assert answers[("1.1", "")].choice == "ja"
    assert answers[("1.1", "")].text == "Familiesamtaler hver måned."
    assert answers[("9.3", "")].ticks == ["Medicinsk"]
    assert fresh(p).version == 2 and fresh(p).status == Status.DRAFT
    event = ParticipantEvent.objects.filter(participant=p).exclude(changes={}).get()
    assert event.user == world.leader
    assert event.changes[":1.1"] == {
        "old": {"choice": "", "text": "", "ticks": []},
        "new": {"choice": "ja", "text": "Familiesamtaler hver måned.", "ticks": []}}


def test_a_part_not_posted_keeps_its_stored_value(world, login, fw, p):
    answer(p, fw, "1.1", "ja", text="Eksempel")
    login(world.leader).post(url("answer_edit", p.pk), post(fw, p, [("1.1", "choice", "nej")]))
    a = stored(p)[("1.1", "")]
    assert (a.choice, a.text) == ("nej", "Eksempel")


def test_text_over_the_limit_is_refused_and_nothing_is_lost(world, login, fw, p):
    """Bad input never half-saves: one refused answer (1.1's text over the limit) and nothing
    of the post is written, not even the answers that passed; the stored draft stays as it
    was. The page comes back with everything as typed and the message at the item, so nothing
    typed is lost, and after correcting, saving again stores it all."""
    answer(p, fw, "1.2", "ja")
    client = login(world.leader)
    response = client.post(url("answer_edit", p.pk), post(fw, p, [
        ("1.1", "choice", "nej"), ("1.1", "text", LONG), ("1.2", "choice", "nej"),
        ("9.2", "text", "Fælles visitation.")]))
    assert response.status_code == 400
    text = response.content.decode()
    assert "1.1: teksten fylder 6 linjer; der er plads til højst 5." in text
    assert "Intet er gemt" in text
    # Nothing of the post is stored; the draft is as it was.
    answers = stored(p)
    assert set(answers) == {("1.2", "")} and answers[("1.2", "")].choice == "ja"
    assert fresh(p).version == p.version
    assert not ParticipantEvent.objects.filter(participant=p).exclude(changes={}).exists()
    # The typed values are shown again in their fields.
    form = response.context["form"]
    assert form[name(fw, "1.1", "text")].value() == LONG and "linje 6" in text
    assert form[name(fw, "1.1", "choice")].value() == "nej"
    assert form[name(fw, "1.2", "choice")].value() == "nej"
    assert form[name(fw, "9.2", "text")].value() == "Fælles visitation."
    assert "Fælles visitation." in text
    # The page keeps the loaded version, so correcting and saving again goes through.
    assert form["loaded_version"].value() == str(fresh(p).version)
    data = post(fw, fresh(p), [("1.1", "choice", "nej"), ("1.1", "text", "Kort."),
                               ("1.2", "choice", "nej"), ("9.2", "text", "Fælles visitation.")])
    assert client.post(url("answer_edit", p.pk), data).status_code == 302
    answers = stored(p)
    assert answers[("1.1", "")].text == "Kort." and answers[("1.2", "")].choice == "nej"
    assert answers[("9.2", "")].text == "Fælles visitation."


def test_an_answer_to_a_greyed_recommendation_is_refused(world, login, fw, p):
    response = login(world.leader).post(url("answer_edit", p.pk), post(fw, p, [
        ("3.1", "choice", "ja"), ("1.2", "choice", "ja")]))
    assert response.status_code == 400
    assert "3.1: anbefalingen er grå og besvares ikke af kommunerne." in (
        response.content.decode())
    assert stored(p) == {}  # nothing of the post, the valid 1.2 included
    assert response.context["form"][name(fw, "1.2", "choice")].value() == "ja"


def test_an_answer_to_an_area_not_answered_is_ignored(world, login, fw, p):
    data = post(fw, p, [("1.2", "choice", "ja")])
    data[name(fw, "1.1", "choice", "stof")] = "nej"
    assert login(world.leader).post(url("answer_edit", p.pk), data).status_code == 302
    assert set(stored(p)) == {("1.2", "")}


def test_emptying_an_answer_deletes_it_and_keeps_the_history(world, login, fw, p):
    answer(p, fw, "9.2", text="Noget")
    login(world.leader).post(url("answer_edit", p.pk), post(fw, p, [("9.2", "text", "")]))
    assert ("9.2", "") not in stored(p)
    event = ParticipantEvent.objects.filter(participant=p).exclude(changes={}).get()
    assert event.changes[":9.2"]["old"]["text"] == "Noget"


# --- Submitting ------------------------------------------------------------------------------

def test_submit_with_unanswered_mandatory_items_keeps_the_draft(world, login, fw, p):
    response = login(world.leader).post(url("answer_edit", p.pk), post(
        fw, p, [("1.1", "choice", "ja"), ("1.2", "choice", "ja")], action="indsend"))
    assert response.status_code == 400
    text = response.content.decode()
    assert "5.1: skal besvares, før svarene kan indsendes." in text
    assert "9.1: skal besvares" in text
    assert "Svarene er ikke indsendt" in text and "Kladden er gemt" in text
    assert fresh(p).status == Status.DRAFT
    assert set(stored(p)) == {("1.1", ""), ("1.2", "")}


def test_submit_with_a_missing_plan_keeps_the_draft(world, login, fw, p):
    answers = [("1.1", "choice", "delvis"), *COMPLETE[1:]]
    response = login(world.leader).post(url("answer_edit", p.pk), post(
        fw, p, answers, action="indsend"))
    assert response.status_code == 400
    assert "1.4: beskriv en plan for løsning" in response.content.decode()
    assert fresh(p).status == Status.DRAFT
    assert stored(p)[("1.1", "")].choice == "delvis"


def test_submit_with_text_over_the_limit_is_not_submitted(world, login, fw, p):
    response = login(world.leader).post(url("answer_edit", p.pk), post(
        fw, p, [*COMPLETE, ("9.2", "text", LONG)], action="indsend"))
    assert response.status_code == 400
    text = response.content.decode()
    assert "Svarene er ikke indsendt" in text and "Intet er gemt" in text
    assert fresh(p).status == Status.DRAFT
    assert stored(p) == {}


def test_submit_and_read_only_after(world, login, fw, p):
    client = login(world.leader)
    response = client.post(url("answer_edit", p.pk), post(fw, p, COMPLETE, action="indsend"))
    assert response.status_code == 302
    p = fresh(p)
    assert p.status == Status.SUBMITTED and p.submitted_at is not None
    assert ParticipantEvent.objects.filter(participant=p, from_status=Status.DRAFT,
                                           to_status=Status.SUBMITTED).exists()
    page = client.get(url("answer_edit", p.pk))
    assert page.context["form"] is None
    assert f'name="{name(fw, "1.1", "choice")}"' not in page.content.decode()
    response = client.post(url("answer_edit", p.pk), post(fw, p, [("1.1", "choice", "nej")]))
    assert response.status_code == 302
    assert stored(p)[("1.1", "")].choice == "ja"
    assert fresh(p).version == p.version


# --- Split by areas --------------------------------------------------------------------------

def test_split_by_areas_copies_the_answers_and_is_answered_per_area(world, login, fw, p):
    answer(p, fw, "1.1", "ja")
    client = login(world.leader)
    response = client.post(url("answer_background", p.pk), {
        "loaded_version": p.version, "split": "opdelt", "areas": ["alkohol", "stof"],
        "buyer": "on"})
    assert response.status_code == 302
    p = fresh(p)
    assert p.areas == ["alkohol", "stof"] and p.buyer
    assert set(stored(p)) == {("1.1", "alkohol"), ("1.1", "stof")}
    event = ParticipantEvent.objects.filter(participant=p).exclude(changes={}).get()
    assert event.changes["baggrund"]["new"] == {"buyer": True, "areas": ["alkohol", "stof"]}
    assert event.changes[":1.1"]["new"]["choice"] == ""
    text = client.get(url("answer_edit", p.pk)).content.decode()
    assert f'name="{name(fw, "1.1", "choice", "alkohol")}"' in text
    assert f'name="{name(fw, "1.1", "choice")}"' not in text
    # Alcohol and drugs differ on 1.2: both kept, per area.
    data = post(fw, p, [("1.2", "choice", "ja", "alkohol"), ("1.2", "choice", "nej", "stof")])
    assert client.post(url("answer_edit", p.pk), data).status_code == 302
    assert stored(p)[("1.2", "stof")].choice == "nej"


def test_changing_the_split_keeps_the_kept_areas(world, login, fw, p):
    p.areas = ["alkohol", "stof"]
    p.save()
    answer(p, fw, "1.1", "ja", area="alkohol")
    answer(p, fw, "1.1", "nej", area="stof")
    login(world.leader).post(url("answer_background", p.pk), {
        "loaded_version": p.version, "split": "opdelt", "areas": ["alkohol", "unge"]})
    assert set(stored(p)) == {("1.1", "alkohol")}
    assert stored(p)[("1.1", "alkohol")].choice == "ja"


def test_split_into_one_area_is_refused(world, login, p):
    response = login(world.leader).post(url("answer_background", p.pk), {
        "loaded_version": p.version, "split": "opdelt", "areas": ["stof"]})
    assert response.status_code == 400
    assert "Vælg mindst to områder" in response.content.decode()
    assert fresh(p).areas == []


# --- The coordinator -------------------------------------------------------------------------

def submitted(fw, p):
    for args in COMPLETE:
        answer(p, fw, args[0], args[2])
    Participant.objects.filter(pk=p.pk).update(status=Status.SUBMITTED)
    return fresh(p)


def test_return_needs_a_comment_then_the_municipality_sees_it(world, login, fw, p):
    p = submitted(fw, p)
    coordinator = login(world.coordinator)
    response = coordinator.post(url("answer_return", p.pk), {"loaded_version": p.version,
                                                             "comment": "  "})
    assert response.status_code == 400
    assert "Skriv, hvad kommunen skal rette." in response.content.decode()
    assert fresh(p).status == Status.SUBMITTED
    response = coordinator.post(url("answer_return", p.pk), {
        "loaded_version": p.version, "comment": "Uddyb 5.2: hvornår følges der op?"})
    assert response.status_code == 302
    assert fresh(p).status == Status.RETURNED
    leader = login(world.leader)
    page = leader.get(url("answer_edit", p.pk))
    assert "Uddyb 5.2: hvornår følges der op?" in page.content.decode()
    assert page.context["form"] is not None  # editable again
    response = leader.post(url("answer_edit", p.pk), post(
        fw, fresh(p), [("5.2", "choice", "delvis"), ("5.3", "text", "Opfølgning efter 1 md.")],
        action="indsend"))
    assert response.status_code == 302
    assert fresh(p).status == Status.SUBMITTED


def test_approve(world, login, fw, p):
    p = submitted(fw, p)
    client = login(world.coordinator)
    page = client.get(url("answer_edit", p.pk))
    assert url("answer_approve", p.pk) in page.content.decode()
    response = client.post(url("answer_approve", p.pk), {"loaded_version": p.version,
                                                         "comment": "Fint"})
    assert response.status_code == 302
    p = fresh(p)
    assert p.status == Status.APPROVED
    event = ParticipantEvent.objects.get(participant=p, to_status=Status.APPROVED)
    assert (event.from_status, event.comment, event.user) == (
        Status.SUBMITTED, "Fint", world.coordinator)
    # Approved is final: neither returned nor approved again.
    client.post(url("answer_return", p.pk), {"loaded_version": p.version, "comment": "x"})
    assert fresh(p).status == Status.APPROVED


def test_a_draft_cannot_be_approved(world, login, p):
    client = login(world.coordinator)
    client.post(url("answer_approve", p.pk), {"loaded_version": p.version})
    assert fresh(p).status == Status.DRAFT


def test_coordinator_reads_but_does_not_answer(world, login, fw, p):
    client = login(world.coordinator)
    page = client.get(url("answer_edit", p.pk))
    assert page.status_code == 200 and page.context["form"] is None
    response = client.post(url("answer_edit", p.pk), post(fw, p, [("1.1", "choice", "ja")]))
    assert response.status_code == 403
    assert client.get(url("answer_background", p.pk)).status_code == 403
    assert not Answer.objects.exists()


def test_the_municipality_does_not_approve_itself(world, login, fw, p):
    p = submitted(fw, p)
    client = login(world.leader)
    assert client.post(url("answer_approve", p.pk),
                       {"loaded_version": p.version}).status_code == 403
    assert client.get(url("answer_return", p.pk)).status_code == 403
    assert fresh(p).status == Status.SUBMITTED


# --- History ---------------------------------------------------------------------------------

def test_history_shows_every_event(world, login, fw, p):
    client = login(world.leader)
    client.post(url("answer_edit", p.pk), post(fw, p, [("1.1", "choice", "nej")]))
    client.post(url("answer_edit", p.pk), post(fw, fresh(p), [("1.1", "choice", "ja")]))
    client.post(url("answer_edit", p.pk), post(fw, fresh(p), COMPLETE, action="indsend"))
    login(world.coordinator).post(url("answer_return", p.pk), {
        "loaded_version": fresh(p).version, "comment": "Mangler eksempler"})
    response = client.get(url("answer_history", p.pk))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Kladde → Indsendt" in text
    assert "Indsendt → Sendt retur med kommentarer" in text
    assert "Mangler eksempler" in text
    rows = response.context["rows"]
    changes = [c for _e, _f, _t, cs in rows for c in cs if c["what"] == "1.1"]
    assert [(c["old"]["choice"], c["new"]["choice"]) for c in changes] == [
        ("Nej", "Ja"), ("", "Nej")]  # newest first
    assert world.leader.username in text or world.leader.get_full_name() in text


def test_the_history_is_read_by_the_coordinator_not_by_others(world, login, rnd, p):
    assert login(world.coordinator).get(url("answer_history", p.pk)).status_code == 200
    other = Participant.objects.get(round=rnd, municipality=world.muni2)
    assert login(world.leader).get(url("answer_history", other.pk)).status_code == 404


# --- Scoping, locking, garbage ---------------------------------------------------------------

def test_another_municipalitys_leader_gets_404(world, login, fw, rnd):
    other = Participant.objects.get(round=rnd, municipality=world.muni2)
    client = login(world.leader)
    for view in ("answer_edit", "answer_background", "answer_history", "answer_return"):
        assert client.get(url(view, other.pk)).status_code == 404
    data = post(fw, other, [("1.1", "choice", "ja")])
    assert client.post(url("answer_edit", other.pk), data).status_code == 404
    assert not Answer.objects.exists()


def test_coordinator_of_another_cluster_gets_404(world, login, fw, p):
    other = make_user(Role.COORDINATOR, world.other_cluster, "sydkoordinator")
    client = login(other)
    for view in ("answer_edit", "answer_history", "answer_return"):
        assert client.get(url(view, p.pk)).status_code == 404
    assert client.post(url("answer_approve", p.pk),
                       {"loaded_version": p.version}).status_code == 404


@pytest.mark.parametrize("role", ["caseworker", "clinician"])
def test_staff_without_the_role_get_404(world, login, p, role):
    assert login(getattr(world, role)).get(url("answer_edit", p.pk)).status_code == 404


def test_administrator_answers_too(world, login, fw, p):
    response = login(world.admin).post(url("answer_edit", p.pk), post(
        fw, p, [("1.1", "choice", "ja")]))
    assert response.status_code == 302
    assert stored(p)[("1.1", "")].choice == "ja"


def test_stale_edit_writes_nothing(world, login, fw, p):
    """Two people open the page; the first saves; the second's save is refused, nothing of it
    is written, and the page keeps what they typed."""
    loaded = p.version
    client = login(world.leader)
    client.post(url("answer_edit", p.pk), post(fw, p, [("1.1", "choice", "ja")]))
    admin = login(world.admin, client=type(client)())
    response = admin.post(url("answer_edit", p.pk), post(
        fw, p, [("1.1", "choice", "nej"), ("1.2", "choice", "nej")], version=loaded))
    assert response.status_code == 409
    text = response.content.decode()
    assert "ændret af en anden" in text
    answers = stored(p)
    assert answers[("1.1", "")].choice == "ja" and ("1.2", "") not in answers
    assert response.context["form"]["loaded_version"].value() == str(loaded)


def test_stale_background_change_writes_nothing(world, login, p):
    Participant.objects.filter(pk=p.pk).update(version=3)
    response = login(world.leader).post(url("answer_background", p.pk), {
        "loaded_version": 1, "split": "opdelt", "areas": ["alkohol", "stof"]})
    assert response.status_code == 400
    assert fresh(p).areas == []


def test_stale_return_writes_nothing(world, login, fw, p):
    p = submitted(fw, p)
    response = login(world.coordinator).post(url("answer_return", p.pk), {
        "loaded_version": p.version - 1 or 99, "comment": "Ret"})
    assert response.status_code == 400
    assert fresh(p).status == Status.SUBMITTED


@pytest.mark.parametrize("data", [
    {},
    {"loaded_version": "abc", "handling": "indsend"},
    {"loaded_version": "99999999999999999999"},
    {"loaded_version": "1", "s1-hel-choice": "måske", "s999999-stof-text": "x"},
    {"loaded_version": "1", "s-hel-choice": "ja", "sabc-xx-ticks": ["y"]},
])
def test_garbage_posts_never_500_and_write_nothing(world, login, fw, p, data):
    client = login(world.leader)
    for view in ("answer_edit", "answer_background"):
        response = client.post(url(view, p.pk), data)
        assert response.status_code in (302, 400, 409), view
    assert not Answer.objects.exists()
    assert fresh(p).areas == [] and fresh(p).status == Status.DRAFT


def test_invalid_choice_and_tick_are_refused_at_the_item(world, login, fw, p):
    response = login(world.leader).post(url("answer_edit", p.pk), post(fw, p, [
        ("1.1", "choice", "måske"), ("9.3", "ticks", "Kirurgisk"), ("1.2", "choice", "ja")]))
    assert response.status_code == 400
    text = response.content.decode()
    assert "Svar ja, delvis eller nej." in text
    assert "Afkryds kun de viste muligheder." in text
    assert stored(p) == {}


def test_a_tick_posted_twice_is_stored_once(world, login, fw, p):
    data = post(fw, p, [("9.3", "ticks", "Psykosocial"), ("9.3", "ticks", "Medicinsk"),
                        ("9.3", "ticks", "Psykosocial")])
    assert login(world.leader).post(url("answer_edit", p.pk), data).status_code == 302
    assert stored(p)[("9.3", "")].ticks == ["Psykosocial", "Medicinsk"]
    event = ParticipantEvent.objects.filter(participant=p).exclude(changes={}).get()
    assert event.changes[":9.3"]["new"]["ticks"] == ["Psykosocial", "Medicinsk"]


def test_the_forms_cleaned_ticks_hold_each_option_once(world, fw, p):
    key = name(fw, "9.3", "ticks")
    data = post(fw, p, [("9.3", "ticks", "Medicinsk"), ("9.3", "ticks", "Medicinsk")])
    form = AnswerForm(data, participant=p, items=services.items_of(fw), stored={})
    assert form.is_valid()
    assert form.cleaned_data[key] == ["Medicinsk"]
    assert form.valid_values()[(item(fw, "9.3").pk, "")]["ticks"] == ["Medicinsk"]


# --- The real framework ----------------------------------------------------------------------

def test_the_kl_framework_renders_and_greys_3_4_8_11(world, login):
    fw = Framework.objects.filter(code="kl-12").first()
    if fw is None:
        pytest.skip("the KL framework is not loaded")
    rnd = make_round(fw, cluster=world.cluster, municipalities=[world.muni])
    p = Participant.objects.get(round=rnd)
    response = login(world.leader).get(url("answer_edit", p.pk))
    assert response.status_code == 200
    greyed = {s.section.number for s in response.context["sections"] if s.section.greyed}
    assert greyed == {"3", "4", "8", "11"}


# --- A resolution holds only for the answers it was made on ---------------------------------

def outcome_of(p, fw, number):
    return round_outcomes(p.round, [p])[(p.pk, item(fw, number).pk)]


def judged_and_returned(world, fw, p):
    """Submitted with 5.1 nej (plan 5.3); the coordinator judges 5.1 green and 1.1 (ja)
    yellow, then returns the answers."""
    for number, choice in (("1.1", "ja"), ("1.2", "ja"), ("5.1", "nej"), ("5.2", "ja"),
                           ("9.1", "ja")):
        answer(p, fw, number, choice)
    answer(p, fw, "5.3", text="Opfølgning fra efteråret.")
    Participant.objects.filter(pk=p.pk).update(status=Status.SUBMITTED)
    p = fresh(p)
    for number, category in (("5.1", Category.MET), ("1.1", Category.PARTLY)):
        services_resolutions.judge(world.coordinator, p, item(fw, number), loaded_version=0,
                                   category=category, reason="Købt hos Køge.")
    assert outcome_of(p, fw, "5.1").category == Category.MET
    services.return_answers(world.coordinator, p, p.version, "Uddyb 5.1.")
    return fresh(p)


def test_a_changed_answer_drops_the_resolution_on_it(world, login, fw, p):
    p = judged_and_returned(world, fw, p)
    client = login(world.leader)
    response = client.post(url("answer_edit", p.pk), post(fw, p, [
        ("5.1", "choice", "delvis"), ("1.1", "choice", "ja"), ("1.1", "text", "Uddybet.")]))
    assert response.status_code == 302
    # 5.1 changed: its judgement is gone and the delvis waits for the coordinator again.
    assert not Resolution.objects.filter(participant=p, item=item(fw, "5.1")).exists()
    changed = outcome_of(p, fw, "5.1")
    assert changed.needs_resolution and not changed.by_judgement and changed.category is None
    # 1.1's choice did not change (only its text): its judgement stays.
    kept = outcome_of(p, fw, "1.1")
    assert kept.by_judgement and kept.category == Category.PARTLY
    assert Resolution.objects.filter(participant=p, item=item(fw, "1.1")).exists()
    # The removed resolution is kept in the same event as the changed answer.
    event = ParticipantEvent.objects.filter(participant=p, changes__has_key=":5.1").get()
    assert event.changes["afgørelse:5.1"] == {
        "old": {"delvis_to": "", "delvis_reason": "", "category_override": Category.MET,
                "override_reason": "Købt hos Køge."},
        "new": {}}
    assert "afgørelse:1.1" not in event.changes
    text = client.get(url("answer_history", p.pk)).content.decode()
    assert "5.1: koordinatorens afgørelse" in text


def test_saving_unchanged_choices_keeps_the_resolutions(world, login, fw, p):
    p = judged_and_returned(world, fw, p)
    response = login(world.leader).post(url("answer_edit", p.pk), post(fw, p, [
        ("5.1", "choice", "nej"), ("1.1", "choice", "ja")]))
    assert response.status_code == 302
    assert Resolution.objects.filter(participant=p).count() == 2
    assert outcome_of(p, fw, "5.1").category == Category.MET


def test_a_new_split_drops_the_resolutions_of_the_answers_it_changes(world, login, fw, p):
    p = judged_and_returned(world, fw, p)
    changes = services.set_background(world.leader, p, p.version, buyer=True,
                                      areas=["alkohol", "stof"])
    assert not Resolution.objects.filter(participant=p).exists()
    assert changes["afgørelse:5.1"]["old"]["category_override"] == Category.MET
    assert outcome_of(fresh(p), fw, "5.1").category == Category.NOT_MET  # the rules again


def test_the_buyer_flag_alone_keeps_the_resolutions(world, login, fw, p):
    p = judged_and_returned(world, fw, p)
    services.set_background(world.leader, p, p.version, buyer=True, areas=[])
    assert Resolution.objects.filter(participant=p).count() == 2


# --- A closed round is read-only ------------------------------------------------------------

def test_a_closed_round_refuses_answers_returns_approvals_and_resolutions(world, login, fw, p):
    answer(p, fw, "1.2", "delvis")
    other = Participant.objects.get(round=p.round, municipality=world.muni2)
    other = submitted(fw, other)
    answer(other, fw, "1.2", "delvis")
    answer(other, fw, "1.4", text="Plan.")
    services.close_round(world.coordinator, p.round, p.round.version)
    p, other = fresh(p), fresh(other)
    assert Round.objects.get(pk=p.round_id).closed
    leader = login(world.leader)
    # The municipality: no form, no save, no background.
    page = leader.get(url("answer_edit", p.pk))
    assert page.context["form"] is None
    assert "Runden er afsluttet. Svarene kan ikke ændres." in page.content.decode()
    response = leader.post(url("answer_edit", p.pk), post(fw, p, [("1.1", "choice", "ja")]))
    assert response.status_code == 302
    assert leader.post(url("answer_background", p.pk), {
        "loaded_version": p.version, "split": "opdelt",
        "areas": ["alkohol", "stof"]}).status_code == 302
    assert set(stored(p)) == {("1.2", "")} and fresh(p).areas == []
    with pytest.raises(ValidationError):
        services.save_answers(world.leader, p, p.version, {(item(fw, "1.1").pk, ""): {
            "choice": "ja"}})
    # The coordinator: no return, no approval, no resolution.
    coordinator = login(world.coordinator, client=type(leader)())
    page = coordinator.get(url("answer_edit", other.pk)).content.decode()
    assert url("answer_approve", other.pk) not in page
    assert coordinator.get(url("answer_return", other.pk)).status_code == 302
    coordinator.post(url("answer_return", other.pk), {"loaded_version": other.version,
                                                       "comment": "Ret"})
    coordinator.post(url("answer_approve", other.pk), {"loaded_version": other.version})
    assert fresh(other).status == Status.SUBMITTED
    with pytest.raises(ValidationError):
        services.approve(world.coordinator, other, other.version)
    with pytest.raises(ValidationError):
        services.return_answers(world.coordinator, other, other.version, "Ret")
    with pytest.raises(ValidationError) as refused:
        services_resolutions.resolve(world.coordinator, other, item(fw, "1.2"),
                                     loaded_version=0, delvis_to="ja", reason="Som de andre.")
    assert "Runden er afsluttet" in " ".join(refused.value.messages)
    assert not Resolution.objects.exists()
    # Reopened, the answers can be changed again.
    rnd = Round.objects.get(pk=p.round_id)
    services.reopen_round(world.coordinator, rnd, rnd.version)
    response = leader.post(url("answer_edit", p.pk), post(fw, fresh(p), [
        ("1.1", "choice", "ja")]))
    assert response.status_code == 302 and ("1.1", "") in stored(p)
