"""Optimistic locking for shared records.

A record with an integer `version` field is saved only if nobody saved it since the editor
loaded it; otherwise StaleRecord is raised and the user is asked to reload. Records without a
version field (the user model) are compared by a keyed hash of the edited fields instead.

Forms carry the state as loaded in the hidden field `loaded_version` (LockedFormMixin); views
save through `refuse_stale`, which turns StaleRecord into a form error with nothing written.
"""

import json

from django import forms
from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.http import HttpResponseRedirect
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _

#: The largest value of a PositiveIntegerField on every supported database.
MAX_VERSION = 2_147_483_647


class StaleRecord(Exception):
    message = _("Sagen blev ændret af en anden, mens du redigerede. Genindlæs siden.")


def save_versioned(instance, expected_version: int, fields: list[str]) -> None:
    """Write `fields` of `instance` if its stored version is still `expected_version`."""
    model = type(instance)
    if not isinstance(expected_version, int) or not 1 <= expected_version < MAX_VERSION:
        # No stored version is this far off; also keeps `version + 1` inside the integer column.
        raise StaleRecord(str(StaleRecord.message))
    values = {f: getattr(instance, f) for f in fields}
    with transaction.atomic():
        updated = model._base_manager.filter(pk=instance.pk, version=expected_version).update(
            version=expected_version + 1, **values
        )
        if updated != 1:
            raise StaleRecord(str(StaleRecord.message))
    instance.version = expected_version + 1


def _is_versioned(instance) -> bool:
    try:
        instance._meta.get_field("version")
    except FieldDoesNotExist:
        return False
    return True


def state_token(instance, fields) -> str:
    """What the editor loaded: the version, or a keyed hash of `fields` if there is none."""
    if _is_versioned(instance):
        return str(instance.version)
    values = json.dumps([getattr(instance, f) for f in fields], default=str)
    return salted_hmac("forlob.locking.state_token", values).hexdigest()


def save_unchanged(instance, token, fields: list[str]) -> None:
    """Write `fields` of `instance` if the stored record still has the `token` the editor
    loaded (see state_token); otherwise raise StaleRecord and write nothing."""
    if _is_versioned(instance):
        try:
            expected = int(token)
        except (TypeError, ValueError):
            raise StaleRecord(str(StaleRecord.message)) from None
        save_versioned(instance, expected, fields)
        return
    with transaction.atomic():
        stored = type(instance)._base_manager.select_for_update().get(pk=instance.pk)
        if not constant_time_compare(state_token(stored, fields), token or ""):
            raise StaleRecord(str(StaleRecord.message))
        instance.save(update_fields=fields)


def refuse_stale(form, save) -> bool:
    """Call `save()` in one transaction; True when it went through. If the record was changed
    since the form was loaded, nothing is written, the form gets the StaleRecord error and the
    answer is False (the form keeps the old state, so saving again is refused until a reload)."""
    try:
        with transaction.atomic():
            save()
    except StaleRecord as exc:
        form.add_error(None, str(exc))
        return False
    return True


class LockedFormMixin(forms.Form):
    """Carries the state of the record being edited, as loaded, in a hidden field.
    Call `lock(record)` from __init__ and `save_locked(fields)` to write."""

    loaded_version = forms.CharField(widget=forms.HiddenInput, required=False)

    def lock(self, record, fields=()):
        self.locked_record = record
        if record.pk is not None:
            self.fields["loaded_version"].initial = state_token(record, fields)

    def save_locked(self, fields: list[str]) -> None:
        save_unchanged(self.locked_record, self.cleaned_data.get("loaded_version"), fields)


class LockedModelForm(LockedFormMixin, forms.ModelForm):
    """A model form whose save() of an existing record is refused (StaleRecord) if someone
    else saved the record since the form was loaded. Only the form's own fields are written."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lock(self.instance, self.model_fields())

    def model_fields(self) -> list[str]:
        return [f.name for f in self.instance._meta.concrete_fields
                if f.name in self._meta.fields]

    def save(self, commit=True):
        if not commit or self.instance._state.adding:
            return super().save(commit)
        self.save_locked(self.model_fields())
        self._save_m2m()
        return self.instance


class LockedAdminMixin:
    """ModelAdmin mixin for a LockedModelForm: the Django admin saves changes the same way,
    and a change refused as stale comes back as an error message on the reloaded page."""

    def save_model(self, request, obj, form, change):
        if change:
            form.save_locked(form.model_fields())
        else:
            super().save_model(request, obj, form, change)

    def changeform_view(self, request, *args, **kwargs):
        try:
            return super().changeform_view(request, *args, **kwargs)
        except StaleRecord as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
