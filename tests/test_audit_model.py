"""The audit trail is append-only: the application cannot update or delete a record, and on
PostgreSQL the database refuses it too (trigger, audit migration 0002)."""

import pytest
from django.db import DatabaseError, connection, transaction

from forlob.audit.models import Action, AppendOnly, AuditEvent
from forlob.audit.recorder import record, record_many

from .factories import CitizenFactory


@pytest.fixture
def event(db):
    return AuditEvent.objects.create(username="sagsbehandler", action=Action.VIEW,
                                     citizen_ref="ref", purpose="test")


def unchanged(event):
    fresh = AuditEvent.objects.get(pk=event.pk)
    return (fresh.username, fresh.action, fresh.purpose) == ("sagsbehandler", "view", "test")


def test_records_can_be_appended(event):
    assert AuditEvent.objects.count() == 1
    second = AuditEvent(username="behandler", action=Action.PRINT)
    second.save()
    assert AuditEvent.objects.count() == 2


def test_model_save_of_an_existing_record_is_refused(event):
    event.purpose = "ændret"
    with pytest.raises(AppendOnly):
        event.save()
    with pytest.raises(AppendOnly):
        AuditEvent(pk=event.pk, username="x", action=Action.VIEW).save(force_update=True)
    assert unchanged(event)


def test_model_delete_is_refused(event):
    with pytest.raises(AppendOnly):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.parametrize("operation", [
    lambda qs: qs.update(purpose="ændret"),
    lambda qs: qs.filter(action="view").update(purpose="ændret"),
    lambda qs: qs.delete(),
    lambda qs: qs.filter(pk__gte=0).delete(),
    lambda qs: qs.all()._raw_delete(qs.db),
    lambda qs: qs.bulk_update([AuditEvent(pk=qs.first().pk, purpose="ændret")], ["purpose"]),
    lambda qs: qs.update_or_create(pk=qs.first().pk, defaults={"purpose": "ændret"}),
])
def test_queryset_update_and_delete_are_refused(event, operation):
    with pytest.raises(AppendOnly):
        operation(AuditEvent.objects)
    assert unchanged(event)


def test_the_recorder_only_appends(db):
    citizen = CitizenFactory()
    first = record(None, Action.VIEW, citizen=citizen)
    record_many(None, Action.VIEW, [citizen, citizen])
    assert AuditEvent.objects.count() == 3
    assert first.citizen_id == citizen.pk and first.citizen_ref == str(citizen.public_id)
    assert first.channel == "cli"


def test_audit_records_outlive_the_citizen(db):
    """No foreign key: deleting a citizen neither cascades into nor nulls its audit trail."""
    citizen = CitizenFactory()
    record(None, Action.VIEW, citizen=citizen)
    pk, ref = citizen.pk, str(citizen.public_id)
    citizen.delete()
    event = AuditEvent.objects.get()
    assert (event.citizen_id, event.citizen_ref) == (pk, ref)


postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the append-only trigger exists on PostgreSQL"
)


@postgres_only
@pytest.mark.parametrize("sql", [
    "UPDATE audit_auditevent SET purpose = 'ændret'",
    "UPDATE audit_auditevent SET purpose = 'ændret' WHERE id = %s",
    "DELETE FROM audit_auditevent",
    "DELETE FROM audit_auditevent WHERE id = %s",
])
def test_raw_sql_update_and_delete_are_refused_by_postgresql(event, sql):
    params = [event.pk] if "%s" in sql else []
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    assert unchanged(event)


@postgres_only
def test_raw_sql_insert_is_allowed_on_postgresql(event):
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_auditevent (at, username, role, organisation, citizen_ref, "
            "object_type, object_id, action, purpose, channel, path) VALUES "
            "(now(), 'x', '', '', '', '', '', 'view', '', 'cli', '')"
        )
    assert AuditEvent.objects.count() == 2
