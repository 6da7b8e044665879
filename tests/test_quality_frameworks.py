"""Frameworks as versioned data (issue 6 item 1): the bundled KL 2014 scheme and national
guidelines 2020 as loaded by migration quality.0002, the loader's validation and refusals, the
load_framework command, and the framework pages."""

import copy
import json
from io import StringIO
from unittest import mock

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db.models.query import QuerySet
from django.urls import reverse

from forlob.quality.frameworks import loader
from forlob.quality.frameworks.loader import FrameworkError
from forlob.quality.models import Framework, Item, ItemKind, Obligation, Section

pytestmark = pytest.mark.django_db

KL_INDICATORS = ["1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "5.1", "5.2", "6.1", "6.2", "7.1",
                 "7.2", "9.1", "10.1", "12.1", "12.2"]
#: Anvisninger per guideline (requirements-nationale-retningslinjer.md, section 1).
NR_PER_GUIDELINE = {"2.1": 5, "2.2": 7, "2.3": 14, "2.4": 7, "2.5": 6, "2.6": 14, "2.7": 6,
                    "2.8": 4, "3.1": 6, "3.2": 5, "3.3": 4, "3.4": 5, "3.5": 11, "3.6": 5,
                    "3.7": 7, "3.8": 6, "3.9": 4, "3.10": 8, "3.11": 6, "3.12": 7}


def kl():
    return Framework.objects.get(code="kl-12", version="2014")


def nr():
    return Framework.objects.get(code="nr-2020", version="2020")


def items(fw, **filters):
    return Item.objects.filter(section__framework=fw, **filters).order_by(
        "section__order", "order")


def numbers(fw, **filters):
    return list(items(fw, **filters).values_list("number", flat=True))


def mini(**overrides):
    data = {
        "format": 1, "code": "test-fw", "version": "1", "name": "Testrammeværk",
        "source": "Prøvekilde",
        "sections": [
            {"number": "1", "title": "Første", "text": "Tekst", "items": [
                {"number": "1.1", "kind": "indicator", "text": "Et udsagn.",
                 "obligation": "skal"},
                {"number": "1.1-eks", "kind": "examples", "text": "Giv eksempler",
                 "max_lines": 5},
                {"number": "1.2", "kind": "ticklist", "text": "Sæt kryds",
                 "options": ["A", "B"]},
                {"number": "1.3", "kind": "plan", "text": "Plan for løsning", "max_lines": 5},
            ]},
            {"number": "2", "title": "Grå", "greyed": True},
        ],
    }
    data.update(overrides)
    return data


# --- the bundled data ------------------------------------------------------------------------

def test_kl_12_has_the_twelve_recommendations_with_four_greyed():
    sections = list(kl().sections.order_by("order"))
    assert [s.number for s in sections] == [str(n) for n in range(1, 13)]
    assert {s.number for s in sections if s.greyed} == {"3", "4", "8", "11"}
    assert not Item.objects.filter(section__framework=kl(), section__greyed=True).exists()
    assert sections[0].title == "Kommunerne skal tilbyde familieorienteret behandling"
    assert sections[0].text.startswith("Kommunerne skal tilbyde familieorienteret behandling.")


def test_kl_12_items_follow_the_scheme():
    fw = kl()
    assert numbers(fw, kind=ItemKind.INDICATOR) == KL_INDICATORS
    assert all(items(fw, kind=ItemKind.INDICATOR).values_list("mandatory", flat=True))
    assert not items(fw).exclude(kind=ItemKind.INDICATOR).filter(mandatory=True).exists()
    # One plan per answered recommendation, with the scheme's number and "maks. 5 linjer".
    plans = items(fw, kind=ItemKind.PLAN)
    assert [p.number for p in plans] == ["1.4", "2.5", "5.3", "6.4", "7.3", "9.4", "10.3",
                                         "12.3"]
    assert {(p.text, p.max_lines) for p in plans} == {("Plan for løsning", 5)}
    # "– Hvordan/giv eksempler (maks. 5 linjer)" follows its indicator as an examples item.
    order = numbers(fw)
    for n in ["1.1", "1.2", "1.3", "6.1", "12.2"]:
        assert order[order.index(n) + 1] == f"{n}-eks"
    assert set(items(fw, kind__in=[ItemKind.TEXT, ItemKind.EXAMPLES]).values_list(
        "max_lines", flat=True)) == {5}
    tick = items(fw, number="9.3").get()
    assert (tick.kind, tick.options) == (ItemKind.TICKLIST, ["Medicinsk", "Psykosocial"])
    assert items(fw, number="9.2").get().kind == ItemKind.TEXT
    assert not items(fw).exclude(obligation="").exists()


def test_kl_12_has_the_indicators_the_evidence_is_paired_with():
    for n in ["1.2", "5.1", "5.2", "7.1", "9.1", "10.1", "12.2"]:
        assert items(kl(), number=n).get().kind == ItemKind.INDICATOR


def test_national_guidelines_have_every_anvisning_with_its_type():
    fw = nr()
    anvisninger = items(fw, kind=ItemKind.INDICATOR)
    assert anvisninger.count() == 137
    assert "3.1.2 b" in numbers(fw)
    counts = {o: anvisninger.filter(obligation=o).count() for o in Obligation.values}
    assert counts == {"": 0, "skal": 46, "bør": 75, "mixed": 16}
    per = {s.number: s.items.filter(kind=ItemKind.INDICATOR).count()
           for s in fw.sections.all()}
    assert per == NR_PER_GUIDELINE
    assert not fw.sections.filter(greyed=True).exists()
    for n in ["3.4.1", "3.5.2", "3.7.1", "3.12.1"]:  # the anvisninger a KPI covers
        assert anvisninger.filter(number=n).exists()


def test_national_guidelines_have_one_plan_per_guideline():
    fw = nr()
    for section in fw.sections.all():
        plans = list(section.items.filter(kind=ItemKind.PLAN))
        assert [(p.number, p.max_lines, p.mandatory) for p in plans] == [
            (f"{section.number}-plan", 5, False)]
        assert section.items.order_by("-order").first().kind == ItemKind.PLAN


def test_national_guidelines_keep_the_danish_wording():
    fw = nr()
    a = items(fw, number="3.4.1").get()
    assert a.text.startswith("Behandling skal iværksættes senest 14 dage efter")
    assert items(fw, number="3.10.2").get().text.startswith("Der kan anvendes gavekort")
    assert fw.sections.get(number="3.4").title == "Behandlingsgarantien"
    assert fw.sections.get(number="3.4").text.startswith("Formålet med retningslinjen")
    # The type follows the wording: a duty says "skal", a recommendation "bør", mixed both.
    # Exceptions by the source's own words: "har ansvaret" (2.5.3), a prohibition (2.6.14), a
    # legal consequence (3.12.6) are duties; "kan" (3.10.2) is a recommendation (L158).
    for item in items(fw, kind=ItemKind.INDICATOR):
        words = item.text.lower()
        if item.obligation == Obligation.SKAL and item.number not in {"2.5.3", "2.6.14",
                                                                     "3.12.6"}:
            assert "skal" in words, item.number
        elif item.obligation == Obligation.BOR and item.number != "3.10.2":
            assert "bør" in words, item.number
        elif item.obligation == Obligation.MIXED:
            assert "skal" in words and "bør" in words, item.number


@pytest.mark.parametrize("name", loader.BUNDLED)
def test_the_database_holds_exactly_the_bundled_file(name):
    data = loader.read(loader.DIR / name)
    assert loader.validate(data) == []
    fw = Framework.objects.get(code=data["code"], version=data["version"])
    assert (fw.name, fw.source) == (data["name"], data["source"])
    assert [s.number for s in fw.sections.order_by("order")] == [
        s["number"] for s in data["sections"]]
    assert numbers(fw) == [i["number"] for s in data["sections"] for i in s.get("items", [])]
    assert [i.text for i in items(fw)] == [
        i["text"] for s in data["sections"] for i in s.get("items", [])]


# --- the loader ------------------------------------------------------------------------------

def test_load_writes_sections_and_items_in_order_with_defaults():
    fw = loader.load(mini())
    assert (fw.code, fw.version, fw.name, fw.source) == ("test-fw", "1", "Testrammeværk",
                                                         "Prøvekilde")
    sections = list(fw.sections.order_by("order"))
    assert [(s.number, s.greyed, s.order) for s in sections] == [("1", False, 0),
                                                                 ("2", True, 1)]
    rows = list(sections[0].items.order_by("order").values_list(
        "number", "kind", "obligation", "mandatory", "max_lines", "options", "order"))
    assert rows == [
        ("1.1", "indicator", "skal", True, None, [], 0),
        ("1.1-eks", "examples", "", False, 5, [], 1),
        ("1.2", "ticklist", "", False, None, ["A", "B"], 2),
        ("1.3", "plan", "", False, 5, [], 3),
    ]


def test_load_refuses_an_existing_version_and_writes_nothing():
    loader.load(mini())
    before = (Framework.objects.count(), Section.objects.count(), Item.objects.count())
    changed = mini(name="Ændret")
    with pytest.raises(FrameworkError, match="findes allerede"):
        loader.load(changed)
    assert (Framework.objects.count(), Section.objects.count(), Item.objects.count()) == before
    assert Framework.objects.get(code="test-fw").name == "Testrammeværk"
    with pytest.raises(FrameworkError, match="findes allerede"):
        loader.load(loader.read(loader.DIR / "kl-12-2014.json"))


def test_a_new_version_of_the_same_framework_loads_beside_the_old():
    loader.load(mini())
    loader.load(mini(version="2"))
    assert list(Framework.objects.filter(code="test-fw").values_list("version", flat=True)
                .order_by("version")) == ["1", "2"]


def test_load_is_all_or_nothing():
    real = QuerySet.bulk_create
    calls = []

    def failing(self, objs, *args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(self, objs, *args, **kwargs)

    with mock.patch.object(QuerySet, "bulk_create", failing), pytest.raises(RuntimeError):
        loader.load(mini())
    assert not Framework.objects.filter(code="test-fw").exists()
    assert not Section.objects.filter(title="Første").exists()


def test_load_works_with_a_migration_app_registry():
    fw = loader.load(mini(code="via-apps"), models=apps)
    assert Item.objects.filter(section__framework_id=fw.pk).count() == 4


def _broken(path, value):
    """mini() with the value at path (keys and indexes) replaced; None deletes it."""
    data = mini()
    target = data
    for key in path[:-1]:
        target = target[key]
    if value is None:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


@pytest.mark.parametrize("path,value,message", [
    (("code",), None, "Rammeværkets kode skal være en tekst"),
    (("code",), "med mellemrum", "kode må kun indeholde"),
    (("version",), "", "version må ikke være tom"),
    (("name",), "x" * 201, "må højst være 200 tegn"),
    (("format",), 2, "Ukendt format"),
    (("extra",), "x", "ukendt felt »extra«"),
    (("sections",), [], "mindst ét afsnit"),
    (("sections", 1, "number"), "1", "Afsnitsnummeret 1 findes flere gange"),
    (("sections", 0, "title"), "", "titlen må ikke være tom"),
    (("sections", 1, "items"), [{"number": "2.1", "kind": "indicator", "text": "x"}],
     "grå (besvares ikke) og må ikke have punkter"),
    (("sections", 1, "greyed"), "ja", "»greyed« skal være true eller false"),
    (("sections", 0, "items", 1, "number"), "1.1", "Punktnummeret 1.1 findes flere gange"),
    (("sections", 0, "items", 0, "kind"), "spørgsmål", "ukendt type 'spørgsmål'"),
    (("sections", 0, "items", 0, "obligation"), "kan", "ukendt skal/bør-type 'kan'"),
    (("sections", 0, "items", 3, "obligation"), "bør", "kun indikatorer kan have en skal/bør"),
    (("sections", 0, "items", 0, "options"), ["A"], "kun afkrydsningspunkter"),
    (("sections", 0, "items", 2, "options"), [], "skal have en liste af valgmuligheder"),
    (("sections", 0, "items", 2, "options"), ["A", "A"], "skal være forskellige"),
    (("sections", 0, "items", 1, "max_lines"), 0, "»max_lines« skal være et helt tal"),
    (("sections", 0, "items", 1, "max_lines"), True, "»max_lines« skal være et helt tal"),
    (("sections", 0, "items", 0, "text"), "  ", "teksten må ikke være tom"),
    (("sections", 0, "items", 0, "mandatory"), "ja", "»mandatory« skal være true eller false"),
])
def test_validation_explains_each_problem_and_nothing_is_written(path, value, message):
    data = _broken(path, value)
    problems = loader.validate(data)
    assert any(message in p for p in problems), problems
    count = Framework.objects.count()
    with pytest.raises(FrameworkError) as e:
        loader.load(data)
    assert message in str(e.value)
    assert Framework.objects.count() == count


def test_a_section_to_answer_needs_items_and_other_problems_are_all_reported():
    data = mini()
    data["sections"][0]["items"] = []
    data["sections"].append({"number": "3", "title": "", "items": "ingen"})
    problems = loader.validate(data)
    assert len(problems) == 3, problems
    assert "Afsnit 1 har ingen punkter" in problems[0]
    assert loader.validate([1, 2]) == ["Filen skal indeholde ét JSON-objekt med rammeværket."]


def test_the_bundled_files_are_not_changed_by_validation():
    data = loader.read(loader.DIR / "nr-2020.json")
    copied = copy.deepcopy(data)
    loader.validate(data)
    assert data == copied


# --- manage.py load_framework ----------------------------------------------------------------

def test_command_loads_a_new_version(tmp_path):
    path = tmp_path / "ny.json"
    path.write_text(json.dumps(mini(), ensure_ascii=False), encoding="utf-8")
    out = StringIO()
    call_command("load_framework", str(path), stdout=out)
    assert "Indlæst: Testrammeværk, version 1 (2 afsnit, 4 punkter)." in out.getvalue()
    assert Framework.objects.filter(code="test-fw", version="1").exists()
    with pytest.raises(CommandError, match="findes allerede"):
        call_command("load_framework", str(path), stdout=StringIO())


def test_command_check_only_validates(tmp_path):
    path = tmp_path / "ny.json"
    path.write_text(json.dumps(mini(), ensure_ascii=False), encoding="utf-8")
    out = StringIO()
    call_command("load_framework", str(path), "--check", stdout=out)
    assert "Filen er i orden" in out.getvalue()
    assert not Framework.objects.filter(code="test-fw").exists()
    path.write_text(json.dumps(_broken(("sections", 0, "items", 0, "kind"), "x")),
                    encoding="utf-8")
    with pytest.raises(CommandError, match="ukendt type 'x'"):
        call_command("load_framework", str(path), "--check", stdout=StringIO())


@pytest.mark.parametrize("content,message", [
    (None, "kan ikke læses"),
    ("{ikke json", "ikke gyldig JSON"),
    (b"\xff\xfe{}", "ikke gyldig JSON"),
])
def test_command_refuses_unreadable_files(tmp_path, content, message):
    path = tmp_path / "fil.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        call_command("load_framework", str(path), stdout=StringIO())


# --- the pages -------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["coordinator", "region_coordinator", "leader", "admin"])
def test_participants_see_the_framework_list(world, login, who):
    response = login(getattr(world, who)).get(reverse("quality:framework_list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "KL&#x27;s 12 anbefalinger – indikatorskema" in html
    assert "Nationale retningslinjer for social stofmisbrugsbehandling" in html
    assert reverse("quality:framework_detail", args=[nr().pk]) in html


@pytest.mark.parametrize("who", ["caseworker", "clinician"])
def test_others_get_404(world, login, who):
    client = login(getattr(world, who))
    assert client.get(reverse("quality:framework_list")).status_code == 404
    assert client.get(reverse("quality:framework_detail", args=[kl().pk])).status_code == 404


def test_login_is_required(client, world):
    response = client.get(reverse("quality:framework_detail", args=[kl().pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_unknown_framework_is_404(world, login):
    assert login(world.coordinator).get(
        reverse("quality:framework_detail", args=[999999])).status_code == 404


def test_empty_list_says_so(world, login):
    Framework.objects.all().delete()
    response = login(world.leader).get(reverse("quality:framework_list"))
    assert "Der er ikke indlæst nogen rammeværker endnu" in response.content.decode()


def test_kl_detail_marks_greyed_recommendations(world, login):
    response = login(world.coordinator).get(
        reverse("quality:framework_detail", args=[kl().pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('<span class="badge">Besvares ikke</span>') == 4
    assert html.count("bg-alternative") == 4
    assert "8 afsnit besvares med i alt 16 indikatorer/anvisninger." in html
    assert "Valgmuligheder: Medicinsk, Psykosocial" in html
    assert "Skal/bør" not in html and 'name="type"' not in html  # no filter for KL


def _anvisninger_shown(html):
    return sum(html.count(f"<th scope=\"row\">{n}</th>")
               for n in numbers(nr(), kind=ItemKind.INDICATOR))


@pytest.mark.parametrize("wanted,shown", [
    ("", 137), ("skal", 46 + 16), ("bør", 75 + 16), ("mixed", 16)])
def test_guidelines_filter_on_skal_and_bor(world, login, wanted, shown):
    response = login(world.leader).get(
        reverse("quality:framework_detail", args=[nr().pk]), {"type": wanted} if wanted else {})
    html = response.content.decode()
    assert response.status_code == 200
    assert _anvisninger_shown(html) == shown
    assert "46 skal (forpligtelser), 75 bør (anbefalinger), 16 med både skal og bør." in html
    if wanted:
        assert f"Viser {shown} af 137 anvisninger." in html
        assert "-plan</th>" not in html  # plans are not anvisninger
    else:
        assert html.count("-plan</th>") == 20
    assert '<span class="badge badge-info">Skal</span>' in html or wanted == "bør" or \
        wanted == "mixed"


def test_unknown_filter_value_shows_everything_with_a_message(world, login):
    response = login(world.admin).get(
        reverse("quality:framework_detail", args=[nr().pk]), {"type": "måske"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Filteret kunne ikke bruges" in html
    assert _anvisninger_shown(html) == 137


def test_other_versions_are_linked(world, login):
    newer = loader.load(mini(code="kl-12", version="2016"))
    html = login(world.coordinator).get(
        reverse("quality:framework_detail", args=[kl().pk])).content.decode()
    assert reverse("quality:framework_detail", args=[newer.pk]) in html
