"""Forms for the coordinator's report texts (issue 6 items 4 and 5), with optimistic locking
(forlob.locking): a text saved by someone else since the page was loaded is refused, nothing is
written, and the coordinator is asked to reload. The texts hold no personal data."""

import hashlib
import json
import re

from django import forms
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forlob.locking import LockedModelForm, StaleRecord, save_unchanged, state_token
from forlob.pathway.forms import style

from . import rules_reports
from .models import Abbreviation, ClusterReportText, RegionReportText, SectionReportText
from .reports import FEEDBACK_QUESTIONS

#: The longest text one field takes (a report chapter, not a book).
TEXT_MAX = 10_000


def text_field(label, help_text="", rows=6):
    return forms.CharField(
        label=label, required=False, max_length=TEXT_MAX, help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"max_length": gettext_lazy(
            "Teksten er for lang: højst %(limit_value)d tegn (den har %(show_value)d).")})


PARAGRAPHS_HELP = gettext_lazy("Adskil afsnit med en tom linje.")


def _version_field():
    return forms.CharField(widget=forms.HiddenInput, required=False)


def insert(record) -> None:
    """Create a text row; one created by someone else since the page was loaded (the unique
    constraint of round and cluster or section) counts as a change by another: StaleRecord."""
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:
        raise StaleRecord(str(StaleRecord.message)) from None


class ClusterTextForm(LockedModelForm):
    """The cluster report's texts: the common focus areas and the feedback on the cooperation,
    answering the scheme's three questions."""

    focus_areas = text_field(gettext_lazy("Klyngens fælles fokusområder"), gettext_lazy(
        "De områder, klyngen vil arbejde videre med i kvalitetsarbejdet. Adskil afsnit med en "
        "tom linje."))
    feedback_experience = text_field(FEEDBACK_QUESTIONS[0][1], PARAGRAPHS_HELP)
    feedback_contribution = text_field(FEEDBACK_QUESTIONS[1][1], PARAGRAPHS_HELP)
    feedback_future = text_field(FEEDBACK_QUESTIONS[2][1], PARAGRAPHS_HELP)

    class Meta:
        model = ClusterReportText
        fields = ["focus_areas", "feedback_experience", "feedback_contribution",
                  "feedback_future"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)

    def save_text(self) -> None:
        """Write the texts (call inside locking.refuse_stale)."""
        if self.instance._state.adding:
            if self.cleaned_data.get("loaded_version"):
                raise StaleRecord(str(StaleRecord.message))  # it was there, and is gone
            insert(self.save(commit=False))
        else:
            self.save()


def digest(*texts) -> str:
    """A fingerprint of texts as loaded into a form, so a save can tell which texts this user
    changed (line endings and outer blanks as a browser may send them do not count)."""
    normal = [(t or "").replace("\r\n", "\n").strip() for t in texts]
    return hashlib.sha256(json.dumps(normal).encode()).hexdigest()


class RegionTextForm(forms.Form):
    """The region report's texts: the overall conclusions, and per recommendation the status
    text and the recommendations.

    Each text row is locked on its own and written only when this user changed it (against a
    fingerprint of the texts as loaded), so two coordinators writing different
    recommendations do not stop each other, while a row changed by someone else since the page
    was loaded refuses the whole save (refuse_stale: all or nothing)."""

    conclusions = text_field(gettext_lazy("Samlede konklusioner"), gettext_lazy(
        "Statusrapporten 2014 har tre overordnede konklusioner. Adskil afsnit med en tom "
        "linje."), rows=10)
    region_version = _version_field()
    region_digest = _version_field()

    def __init__(self, *args, rnd, sections, **kwargs):
        super().__init__(*args, **kwargs)
        self.rnd = rnd
        self.sections = list(sections)
        self.region_text = RegionReportText.objects.filter(round=rnd).first()
        self.section_texts = {t.section_id: t
                              for t in SectionReportText.objects.filter(round=rnd)}
        loaded = self.region_text
        self.fields["conclusions"].initial = loaded.conclusions if loaded else ""
        self.fields["region_version"].initial = state_token(loaded, ()) if loaded else ""
        self.fields["region_digest"].initial = digest(loaded.conclusions if loaded else "")
        for section in self.sections:
            text = self.section_texts.get(section.pk)
            status, recommendations = ((text.status_text, text.recommendations) if text
                                       else ("", ""))
            self.fields[f"status_{section.pk}"] = text_field(
                _("Status på anbefaling %(n)s") % {"n": section.number}, PARAGRAPHS_HELP)
            self.fields[f"recommendations_{section.pk}"] = text_field(
                _("Det anbefales (anbefaling %(n)s)") % {"n": section.number}, PARAGRAPHS_HELP)
            self.fields[f"version_{section.pk}"] = _version_field()
            self.fields[f"digest_{section.pk}"] = _version_field()
            self.fields[f"status_{section.pk}"].initial = status
            self.fields[f"recommendations_{section.pk}"].initial = recommendations
            self.fields[f"version_{section.pk}"].initial = state_token(text, ()) if text else ""
            self.fields[f"digest_{section.pk}"].initial = digest(status, recommendations)
        style(self)

    def section_fields(self):
        """(section, status field, recommendations field, hidden fields) per section."""
        for s in self.sections:
            yield (s, self[f"status_{s.pk}"], self[f"recommendations_{s.pk}"],
                   (self[f"version_{s.pk}"], self[f"digest_{s.pk}"]))

    def save_texts(self) -> int:
        """Write the texts this user changed (call inside locking.refuse_stale, which makes it
        all or nothing); the number of rows written."""
        data = self.cleaned_data
        written = 0
        if digest(data["conclusions"]) != data.get("region_digest"):
            record = self.region_text or RegionReportText(round=self.rnd)
            self._write(record, data.get("region_version"),
                        {"conclusions": data["conclusions"]})
            written += 1
        for s in self.sections:
            values = {"status_text": data[f"status_{s.pk}"],
                      "recommendations": data[f"recommendations_{s.pk}"]}
            if digest(*values.values()) == data.get(f"digest_{s.pk}"):
                continue
            record = self.section_texts.get(s.pk) or SectionReportText(round=self.rnd, section=s)
            self._write(record, data.get(f"version_{s.pk}"), values)
            written += 1
        return written

    @staticmethod
    def _write(record, token, values) -> None:
        for attr, value in values.items():
            setattr(record, attr, value)
        if record.pk is None:
            if token:
                raise StaleRecord(str(StaleRecord.message))  # it was there, and is gone
            insert(record)
        else:
            save_unchanged(record, token, list(values))


ABBREVIATION = re.compile(r"^[A-ZÆØÅ0-9-]{2,8}$")


class AbbreviationsForm(forms.Form):
    """The abbreviations the reports list the coordinator's municipalities under (status 2014
    lists them by abbreviation). Empty: the first letters of the name (rules_reports). The
    whole set is locked together: saved only if no abbreviation of these municipalities
    changed since the page was loaded."""

    loaded_state = _version_field()

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipalities = list(municipalities)
        current = self.current()
        fallback = rules_reports.abbreviations(
            (m.pk, m.name, "") for m in self.municipalities)
        for m in self.municipalities:
            self.fields[f"abbr_{m.pk}"] = forms.CharField(
                label=m.name, required=False, max_length=8, initial=current.get(m.pk, ""),
                help_text=_("Uden forkortelse bruges %(abbr)s.") % {"abbr": fallback[m.pk]},
                error_messages={"max_length": gettext_lazy("Højst %(limit_value)d tegn.")})
        self.fields["loaded_state"].initial = self.state(current)
        style(self)

    def current(self) -> dict[int, str]:
        return dict(Abbreviation.objects.filter(municipality__in=self.municipalities)
                    .values_list("municipality_id", "abbreviation"))

    @staticmethod
    def state(current: dict[int, str]) -> str:
        return digest(*(f"{pk}:{abbr}" for pk, abbr in sorted(current.items())))

    def rows(self):
        return [self[f"abbr_{m.pk}"] for m in self.municipalities]

    def clean(self):
        data = super().clean()
        mine = {m.pk for m in self.municipalities}
        taken = dict(Abbreviation.objects.exclude(municipality__in=mine).values_list(
            "abbreviation", "municipality__name"))
        seen = {}
        for m in self.municipalities:
            name = f"abbr_{m.pk}"
            value = (data.get(name) or "").strip().upper()
            data[name] = value
            if not value:
                continue
            if not ABBREVIATION.match(value):
                self.add_error(name, _("Brug 2-8 store bogstaver, tal eller bindestreg."))
            elif value in taken:
                self.add_error(name, _("%(abbr)s bruges allerede af %(other)s.") % {
                    "abbr": value, "other": taken[value]})
            elif value in seen:
                self.add_error(name, _("%(abbr)s er også skrevet ved %(other)s.") % {
                    "abbr": value, "other": seen[value]})
            else:
                seen[value] = m.name
        return data

    def save_abbreviations(self) -> None:
        """Write the set (call inside locking.refuse_stale)."""
        list(Abbreviation.objects.select_for_update().filter(
            municipality__in=self.municipalities))
        if self.state(self.current()) != self.cleaned_data.get("loaded_state"):
            raise StaleRecord(str(StaleRecord.message))
        try:
            with transaction.atomic():
                Abbreviation.objects.filter(municipality__in=self.municipalities).delete()
                Abbreviation.objects.bulk_create([
                    Abbreviation(municipality=m, abbreviation=self.cleaned_data[f"abbr_{m.pk}"])
                    for m in self.municipalities if self.cleaned_data[f"abbr_{m.pk}"]])
        except IntegrityError:
            raise StaleRecord(str(StaleRecord.message)) from None
