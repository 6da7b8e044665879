"""Serializers of the journal API (issue 4 item 6): input (types, code lists and bounds only;
the rules - dates, anonymous courses, sides - are checked by `journal.services`) and output."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from forlob.pathway.serializers_input import VersionedSerializer, choice, date_field, required_text

from .models import TEXT_MAX, JournalNote, NoteType


class NoteWriteSerializer(VersionedSerializer):
    """A journal note; to correct one, post a new note to its `amend` URL."""

    note_type = choice(NoteType.choices, help_text=_("Notattypen."))
    written_on = date_field(help_text=_("Den dag notatet handler om; ikke i fremtiden."))
    text = required_text(max_length=TEXT_MAX)


class NoteSerializer(serializers.ModelSerializer):
    """A journal note as written; `amended_by` lists the notes that correct it."""

    side_label = serializers.CharField(source="get_side_display", read_only=True)
    note_type_label = serializers.CharField(source="get_note_type_display", read_only=True)
    organisation = serializers.SerializerMethodField()
    amended_by = serializers.SerializerMethodField()

    class Meta:
        model = JournalNote
        fields = ["id", "course", "note_type", "note_type_label", "written_on", "text",
                  "amends", "amended_by", "side", "side_label", "organisation", "author_name",
                  "recorded_at"]
        read_only_fields = fields

    def get_organisation(self, note) -> str:
        organisation = note.organisation
        return organisation.name if organisation else ""

    def get_amended_by(self, note) -> list[int]:
        # Only the side that wrote a note amends it, so its amendments are as visible as it.
        return sorted(a.pk for a in note.amendments.all())


class NoteWrittenSerializer(NoteSerializer):
    """The note just written, with the course version after the write."""

    course_version = serializers.IntegerField(read_only=True)

    class Meta(NoteSerializer.Meta):
        fields = [*NoteSerializer.Meta.fields, "course_version"]
        read_only_fields = fields


class JournalSerializer(serializers.Serializer):
    """The journal notes of a course that you may see, newest first."""

    course = serializers.IntegerField()
    version = serializers.IntegerField()
    can_write = serializers.BooleanField(
        help_text=_("Om du kan skrive journalnotater på forløbet (sagsbehandler i "
                    "opholdskommunen eller behandler i tilbuddet; aldrig på et anonymt "
                    "§ 101 a-forløb)."))
    notes = NoteSerializer(many=True)
