"""Forms of the aftercare duties (issue 4 items 2, 8, 9): the supervision visit and the
coordinating-plan meeting on the case page. A form checks the
shape of the input; services_aftercare applies the rules."""

from django.utils.translation import gettext_lazy as _

from forlob.pathway.forms import choice_field, date_field, text_field, yes_no_field

from . import services, services_aftercare
from .clocks import LABELS
from .forms import TreatmentStep
from .models import CoordinatingMeeting, SupervisionVisit


class SupervisionForm(TreatmentStep):
    slug = "tilsyn"
    title = _("Personrettet tilsyn")
    help = _("Tilsyn med borgerens døgnanbringelse (serviceloven § 148): progression, og om "
             "anbringelsen stadig passer til borgeren.")

    visited_on = date_field(_("Tilsyn udført"))
    progression = text_field(_("Borgerens progression"), required=True)
    placement_fits = yes_no_field(_("Passer anbringelsen stadig til borgeren?"))
    note = text_field(_("Bemærkninger"))

    def apply(self, request):
        d = self.cleaned_data
        return services_aftercare.add_supervision_visit(request, self.course, SupervisionVisit(
            visited_on=d["visited_on"], progression=d["progression"],
            placement_fits=d["placement_fits"], note=d["note"]))


class CoordinatingMeetingForm(TreatmentStep):
    slug = "indsatsplan-moede"
    title = _("Møde om koordinerende indsatsplan")
    help = _("Opfølgningsmøder på den koordinerende indsatsplan holdes mindst hver 6. måned.")

    held_on = date_field(_("Afholdt"))
    note = text_field(_("Bemærkninger"))

    def apply(self, request):
        d = self.cleaned_data
        meeting = CoordinatingMeeting(held_on=d["held_on"], note=d["note"])
        return services_aftercare.add_coordinating_meeting(request, self.course, meeting)


class DischargeTaskForm(TreatmentStep):
    slug = "opgave-efter-udskrivning"
    title = _("Opgave efter udskrivningen")
    help = _("Det, udskrivningen gav anledning til: et efterfølgende tilbud efter "
             "døgnbehandling (retningslinje 2.3.8), eller kontakt til de opsøgende tjenester "
             "efter en uplanlagt udskrivning (retningslinje 3.11.6).")

    task = choice_field(_("Opgave"), [])
    done_on = date_field(_("Udført"))

    def __init__(self, *args, course, **kwargs):
        super().__init__(*args, course=course, **kwargs)
        self.fields["task"].choices = [(t, LABELS[t])
                                       for t in services.open_discharge_tasks(course)]

    def apply(self, request):
        d = self.cleaned_data
        return services.record_discharge_task(request, self.course, d["task"], d["done_on"])
