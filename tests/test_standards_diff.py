"""The diff between two versions of a quality standard (issue 7 item 4) and the revision status
(issue 7 item 3; retningslinje 2.8.1)."""

import datetime as dt

import pytest

from forlob.standards import diff, services
from forlob.standards.rules import DUE_SOON_DAYS, RevisionState, revision_status

from .factories_standards import ContactPointFactory, adopted


@pytest.fixture
def versions(world):
    """Version 1 adopted, version 2 a draft copied from it (services.create_draft)."""
    v1 = adopted(world.muni, guarantee_days=14,
                 sections={"target": "Tilbuddet er for borgere over 18 år i kommunen."})
    ContactPointFactory(standard=v1, kind="counselling", name="Rådgivningen")
    v2 = services.create_draft(world.leader, world.muni)
    return v1, v2


def by_label(rows):
    return {r.label: r for r in rows}


def test_identical_versions_have_no_rows(versions):
    v1, v2 = versions
    assert diff.compare(v1, v2) == []
    assert diff.compare(v1, v1) == []


def test_changed_guarantee_section_text_and_added_contact_point(world, versions):
    v1, v2 = versions
    services.save_draft(world.leader, v2, {
        "guarantee_days": 10,
        "sections": {"target": "Tilbuddet er for alle borgere i kommunen.",
                     "register": "Vi indberetter til Stofmisbrugsdatabasen."}}, v2.version)
    ContactPointFactory(standard=v2, kind="alcohol", name="Alkoholenheden",
                        phone="56 18 20 00")
    rows = by_label(diff.compare(v1, v2))
    assert set(rows) == {"Behandlingsgaranti (kalenderdage)", "Hvem er tilbuddet for",
                         "Indberetning til registre", "Alkoholbehandling: Alkoholenheden"}

    guarantee = rows["Behandlingsgaranti (kalenderdage)"]
    assert (guarantee.group, guarantee.old, guarantee.new, guarantee.change) == (
        diff.LEVELS, "14", "10", "changed")

    text = rows["Hvem er tilbuddet for"]
    assert text.change == "changed" and text.group == diff.SECTIONS
    assert text.old.startswith("Tilbuddet er for borgere") and "alle" in text.new
    words = {(op, t.strip()) for op, t in text.segments}
    assert ("insert", "alle") in words and ("delete", "over 18 år") in words

    assert rows["Indberetning til registre"].change == "added"
    contact = rows["Alkoholbehandling: Alkoholenheden"]
    assert (contact.group, contact.old, contact.change) == (diff.CONTACTS, "", "added")
    assert "56 18 20 00" in contact.new


def test_rows_come_in_group_order(world, versions):
    v1, v2 = versions
    services.save_draft(world.leader, v2, {"sections": {}, "plan_days": 7}, v2.version,
                        providers=[world.provider])
    groups = [r.group for r in diff.compare(v1, v2)]
    assert groups == sorted(groups, key=diff.GROUPS.index)
    assert groups[0] == diff.LEVELS and diff.PROVIDERS in groups and groups[-1] == diff.SECTIONS


def test_removed_contact_point_and_changed_route(versions):
    v1, v2 = versions
    v2.contact_points.all().delete()
    v2.complaint_routes.filter(track="sel101").update(deadline="6 uger")
    rows = by_label(diff.compare(v1, v2))
    assert rows["Rådgivning: Rådgivningen"].change == "removed"
    route = next(r for r in rows.values() if r.group == diff.ROUTES)
    assert (route.old, route.new) == ("4 uger", "6 uger")
    assert route.segments == (("delete", "4"), ("insert", "6"), ("equal", " uger"))


def test_follow_up_levels_read_as_the_council_reads_them(world, versions):
    v1, v2 = versions
    services.save_draft(world.leader, v2, {"follow_up_first_days": 21,
                                           "follow_up_reasons": ["udeblevet", "bortvist"]},
                        v2.version)
    rows = by_label(diff.compare(v1, v2))
    first = rows["Første opfølgning efter udskrivning (dage)"]
    assert (first.old, first.new) == ("Lovens frist: senest 1 måned efter udskrivning", "21")
    reasons = rows["Flere udskrivningsårsager med opfølgning"]
    assert (reasons.old, reasons.new) == ("Kun lovens fire årsager", "Bortvist, Udeblevet")


def test_compare_items_is_pure_over_display_items():
    old = [diff.Item(diff.SECTIONS, "section:a", "A", "Ens"),
           diff.Item(diff.LEVELS, "x", "X", "1"),
           diff.Item(diff.CONTACTS, "c", "C", "gammel")]
    new = [diff.Item(diff.SECTIONS, "section:a", "A", "Ens  "),
           diff.Item(diff.LEVELS, "x", "X", "2")]
    rows = diff.compare_items(old, new)
    assert [(r.label, r.old, r.new, r.change) for r in rows] == [
        ("X", "1", "2", "changed"), ("C", "gammel", "", "removed")]


def test_word_diff_keeps_whitespace():
    segments = diff.word_diff("en to tre", "en fire tre")
    assert "".join(t for op, t in segments if op != "delete") == "en fire tre"
    assert "".join(t for op, t in segments if op != "insert") == "en to tre"


# --- Revision status (retningslinje 2.8.1) ---------------------------------------------------

@pytest.mark.parametrize(("adopted_on", "today", "state"), [
    (dt.date(2025, 1, 1), dt.date(2026, 6, 15), RevisionState.OK),
    (dt.date(2024, 9, 14), dt.date(2026, 6, 15), RevisionState.OK),  # due in 91 days
    (dt.date(2024, 9, 13), dt.date(2026, 6, 15), RevisionState.DUE_SOON),  # due in 90
    (dt.date(2024, 6, 15), dt.date(2026, 6, 15), RevisionState.DUE_SOON),  # due today
    (dt.date(2024, 6, 14), dt.date(2026, 6, 15), RevisionState.OVERDUE),
])
def test_revision_status(adopted_on, today, state):
    revision = revision_status(adopted_on, today)
    assert revision.state is state
    assert revision.due == dt.date(adopted_on.year + 2, adopted_on.month, adopted_on.day)
    assert revision.flagged == (state is not RevisionState.OK)


def test_revision_due_soon_threshold_is_90_days():
    assert DUE_SOON_DAYS == 90
    due = dt.date(2026, 9, 13)
    assert revision_status(dt.date(2024, 9, 13), due - dt.timedelta(days=90)).state is (
        RevisionState.DUE_SOON)
    assert revision_status(dt.date(2024, 9, 13), due - dt.timedelta(days=91)).state is (
        RevisionState.OK)


def test_revision_of_a_leap_day_adoption_is_clamped():
    assert revision_status(dt.date(2024, 2, 29), dt.date(2025, 1, 1)).due == dt.date(
        2026, 2, 28)


def test_no_adopted_version_is_missing():
    revision = revision_status(None, dt.date(2026, 6, 15))
    assert (revision.due, revision.state, revision.flagged) == (
        None, RevisionState.MISSING, True)
