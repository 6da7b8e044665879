"""Optimistic locking for shared records.

A record with an integer `version` field is saved only if nobody saved it since the editor
loaded it; otherwise StaleRecord is raised and the user is asked to reload.
"""

from django.db import transaction
from django.utils.translation import gettext_lazy as _


class StaleRecord(Exception):
    message = _("Sagen blev ændret af en anden, mens du redigerede. Genindlæs siden.")


def save_versioned(instance, expected_version: int, fields: list[str]) -> None:
    """Write `fields` of `instance` if its stored version is still `expected_version`."""
    model = type(instance)
    values = {f: getattr(instance, f) for f in fields}
    with transaction.atomic():
        updated = model._base_manager.filter(pk=instance.pk, version=expected_version).update(
            version=expected_version + 1, **values
        )
        if updated != 1:
            raise StaleRecord(str(StaleRecord.message))
    instance.version = expected_version + 1
