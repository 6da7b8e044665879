"""Forms of the journal section of the case page (issue 4 item 6): writing a note and
correcting one with an amending note. A form checks the shape of the input; the service
(journal.services) applies the rules. Each carries the course version it was loaded with."""

from django.utils.translation import gettext_lazy as _

from forlob import clock
from forlob.pathway.forms import StepForm, choice_field, date_field, text_field

from . import services
from .models import TEXT_MAX, JournalNote, NoteType

BLANK = [("", _("Vælg"))]


class NoteForm(StepForm):
    slug = "journalnotat"
    title = _("Skriv et journalnotat")
    help = _("Et gemt notat kan ikke ændres eller slettes. En fejl rettes med et nyt notat, "
             "der retter det.")
    submit = _("Gem notatet")

    note_type = choice_field(_("Notattype"), BLANK + list(NoteType.choices))
    written_on = date_field(_("Dato"), help_text=_("Den dag notatet handler om."))
    text = text_field(_("Notat"), required=True, rows=6, max_length=TEXT_MAX)

    def __init__(self, *args, course, **kwargs):
        super().__init__(*args, course=course, **kwargs)
        self.fields["written_on"].initial = clock.today()

    def note(self):
        d = self.cleaned_data
        return JournalNote(note_type=d["note_type"], written_on=d["written_on"], text=d["text"])

    def apply(self, request):
        return services.write_note(request, self.course, self.note())


class AmendForm(NoteForm):
    """A note that corrects `original`; its own slug, so several can be on one page."""

    title = _("Ret journalnotatet")
    help = _("Det oprindelige notat står uændret og vises som rettet, sammen med rettelsen.")
    submit = _("Gem rettelsen")

    def __init__(self, *args, course, original, **kwargs):
        self.slug = f"ret-notat-{original.pk}"
        self.original = original
        super().__init__(*args, course=course, **kwargs)
        self.fields["note_type"].initial = original.note_type

    def apply(self, request):
        return services.amend_note(request, self.course, self.original, self.note())
