"""Access grants of the network context, through the course."""

from forlob.treatment.course_scoping import register_course_models

from .models import Consent, Disclosure, Guardian, NetworkMember

COURSE_PATHS = {Consent: "course", NetworkMember: "course", Guardian: "course",
                Disclosure: "course"}
register_course_models(COURSE_PATHS)
