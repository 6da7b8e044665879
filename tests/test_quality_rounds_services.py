"""services_rounds on their own (issue 6 item 2): all-or-nothing writes with the history, the
guards on who may change what, and optimistic locking; plus a property test that no POST to
the answer page, however garbled, fails or stores an answer the rules refuse."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forlob.locking import StaleRecord
from forlob.quality import services_rounds as services
from forlob.quality.models import Answer, Participant, ParticipantEvent, Status
from forlob.quality.rules_submission import answer_problems

from .factories_quality import answer, item, make_round, mini_kl


@pytest.fixture
def fw(db):
    return mini_kl()


@pytest.fixture
def p(world, fw):
    rnd = make_round(fw, cluster=world.cluster, municipalities=[world.muni, world.muni2])
    return Participant.objects.get(round=rnd, municipality=world.muni)


def test_one_bad_answer_refuses_the_whole_call(world, fw, p):
    values = {(item(fw, "1.2").pk, ""): {"choice": "ja"},
              (item(fw, "9.2").pk, ""): {"text": "\n".join("x" * 6)}}
    with pytest.raises(services.AnswersRefused) as refused:
        services.save_answers(world.leader, p, p.version, values)
    assert [(x.number, x.code) for x in refused.value.problems] == [("9.2", "too_long")]
    assert not Answer.objects.exists()
    assert Participant.objects.get(pk=p.pk).version == p.version
    assert not ParticipantEvent.objects.filter(participant=p).exclude(changes={}).exists()


def test_an_item_of_another_framework_or_area_is_refused(world, fw, p):
    other = mini_kl(version="other")
    with pytest.raises(ValidationError):
        services.save_answers(world.leader, p, p.version, {(item(other, "1.1").pk, ""): {
            "choice": "ja"}})
    with pytest.raises(ValidationError):
        services.save_answers(world.leader, p, p.version, {(item(fw, "1.1").pk, "stof"): {
            "choice": "ja"}})
    assert not Answer.objects.exists()


def test_unchanged_answers_write_no_event(world, fw, p):
    answer(p, fw, "1.1", "ja")
    assert services.save_answers(world.leader, p, p.version,
                                 {(item(fw, "1.1").pk, ""): {"choice": "ja"}}) == {}
    assert Participant.objects.get(pk=p.pk).version == p.version
    with pytest.raises(StaleRecord):  # even a save that changes nothing checks the lock
        services.save_answers(world.leader, p, p.version + 1,
                              {(item(fw, "1.1").pk, ""): {"choice": "ja"}})


@pytest.mark.parametrize("version", [None, "", "x", 0, -1, 2**40])
def test_forged_versions_are_stale(world, fw, p, version):
    with pytest.raises(StaleRecord):
        services.save_answers(world.leader, p, version,
                              {(item(fw, "1.1").pk, ""): {"choice": "ja"}})
    assert not Answer.objects.exists()


def test_guards(world, fw, p):
    values = {(item(fw, "1.1").pk, ""): {"choice": "ja"}}
    with pytest.raises(PermissionDenied):
        services.save_answers(world.coordinator, p, p.version, values)
    other = Participant.objects.get(round=p.round, municipality=world.muni2)
    with pytest.raises(PermissionDenied):
        services.save_answers(world.leader, other, other.version, values)
    with pytest.raises(PermissionDenied):
        services.return_answers(world.leader, p, p.version, "Ret")
    with pytest.raises(PermissionDenied):
        services.approve(world.admin, p, p.version)
    with pytest.raises(PermissionDenied):
        services.set_participants(world.leader, p.round, p.round.version, [world.muni])
    assert not Answer.objects.exists()


def test_status_moves_follow_the_rules(world, fw, p):
    with pytest.raises(ValidationError):
        services.approve(world.coordinator, p, p.version)  # a draft is not approved
    for number in ("1.1", "1.2", "5.1", "5.2", "9.1"):
        answer(p, fw, number, "ja")
    services.submit(world.leader, p, p.version)
    p.refresh_from_db()
    assert p.status == Status.SUBMITTED
    with pytest.raises(ValidationError):
        services.submit(world.leader, p, p.version)  # not editable once submitted
    with pytest.raises(ValidationError):
        services.save_answers(world.leader, p, p.version,
                              {(item(fw, "1.1").pk, ""): {"choice": "nej"}})
    services.approve(world.coordinator, p, p.version)
    p.refresh_from_db()
    with pytest.raises(ValidationError):
        services.return_answers(world.coordinator, p, p.version, "For sent")
    moves = list(ParticipantEvent.objects.filter(participant=p).exclude(to_status="")
                 .values_list("from_status", "to_status"))
    assert moves == [("draft", "submitted"), ("submitted", "approved")]


def test_submit_refused_keeps_everything(world, fw, p):
    answer(p, fw, "1.1", "nej")
    with pytest.raises(services.AnswersRefused) as refused:
        services.submit(world.leader, p, p.version)
    codes = {(x.number, x.code) for x in refused.value.problems}
    assert ("1.4", "plan_missing") in codes and ("1.2", "unanswered") in codes
    p.refresh_from_db()
    assert p.status == Status.DRAFT and p.submitted_at is None
    assert Answer.objects.filter(participant=p).count() == 1


def test_background_from_split_to_whole_keeps_identical_answers(world, fw, p):
    p.areas = ["alkohol", "stof"]
    p.save()
    answer(p, fw, "1.1", "ja", area="alkohol")
    answer(p, fw, "1.1", "ja", area="stof")
    answer(p, fw, "1.2", "ja", area="alkohol")
    answer(p, fw, "1.2", "nej", area="stof")
    changes = services.set_background(world.leader, p, p.version, buyer=False, areas=[])
    got = {(a.item.number, a.area): a.choice for a in Answer.objects.filter(participant=p)}
    assert got == {("1.1", ""): "ja"}
    assert changes["stof:1.2"] == {"old": {"choice": "nej", "text": "", "ticks": []},
                                   "new": {"choice": "", "text": "", "ticks": []}}


# --- Garbage never fails and never stores what the rules refuse ------------------------------

def _names(fw, p):
    names = []
    for number in ("1.1", "1.2", "1.4", "5.3", "9.2", "9.3"):
        pk = item(fw, number).pk
        names += [f"s{pk}-hel-choice", f"s{pk}-hel-text", f"s{pk}-hel-ticks",
                  f"s{pk}-stof-choice"]
    return names


values = st.one_of(st.sampled_from(["ja", "delvis", "nej", "", "Medicinsk", "Kirurgisk"]),
                   st.text(max_size=700))


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_garbage_posts_never_fail_or_store_refused_answers(world, login, fw, p, data):
    names = _names(fw, p)
    post = data.draw(st.dictionaries(
        st.one_of(st.sampled_from(names + ["loaded_version", "handling"]), st.text(max_size=12)),
        values, max_size=10))
    if data.draw(st.booleans()):
        post["loaded_version"] = str(Participant.objects.get(pk=p.pk).version)
    client = login(world.leader)
    response = client.post(reverse("quality:answer_edit", args=[p.pk]), post)
    assert response.status_code in (302, 400, 409)
    for a in Answer.objects.filter(participant=p).select_related("item__section"):
        assert answer_problems(services.item_facts(a.item), services.answer_facts(a)) == []
        assert a.area == ""


# --- Closing the round -----------------------------------------------------------------------

def test_closing_is_the_coordinators_and_locked_on_the_rounds_version(world, fw, p):
    from forlob.quality.models import Round

    rnd = p.round
    with pytest.raises(PermissionDenied):
        services.close_round(world.leader, rnd, rnd.version)
    for version in (None, "x", 0, rnd.version + 1, 2**40):
        with pytest.raises(StaleRecord):
            services.close_round(world.coordinator, rnd, version)
        rnd = Round.objects.get(pk=rnd.pk)
        assert not rnd.closed
    services.close_round(world.coordinator, rnd, rnd.version)
    rnd = Round.objects.get(pk=rnd.pk)
    assert rnd.closed and rnd.version == 2
    with pytest.raises(ValidationError):
        services.close_round(world.coordinator, rnd, rnd.version)
    with pytest.raises(ValidationError):
        services.set_participants(world.coordinator, rnd, rnd.version, [world.muni])
    with pytest.raises(PermissionDenied):
        services.reopen_round(world.admin, rnd, rnd.version)
    services.reopen_round(world.coordinator, rnd, rnd.version)
    assert not Round.objects.get(pk=rnd.pk).closed


def test_ticks_given_twice_are_stored_once(world, fw, p):
    services.save_answers(world.leader, p, p.version, {(item(fw, "9.3").pk, ""): {
        "ticks": ["Medicinsk", "Medicinsk", "Psykosocial"]}})
    assert Answer.objects.get(participant=p).ticks == ["Medicinsk", "Psykosocial"]
