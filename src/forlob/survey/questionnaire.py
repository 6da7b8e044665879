"""The satisfaction questionnaire as data, versioned (issue 4 item 12).

Version 1 follows KL's inspiration catalogue (2009), Bilag 8 "Eksempel på spørgeskema til
brugertilfredshedsundersøgelse": acute treatment, waiting time, the treatment, influence on the
content, contact with the clinician, information, and free text. The wording is the catalogue's,
with "alkoholambulatoriet" made general ("behandlingstilbuddet"), since every provider uses it.
The catalogue's section "Ambulatoriet samarbejde med andre" has no answer scale in the source
and is left out.

A response stores the version it answered, and each answer the question key and the position
on the scale (1 = best), so a later version can change wording or questions without touching
old answers. Never edit a published version: add a new one and point CURRENT at it.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Question:
    key: str
    section: str
    text: str
    hint: str = ""
    scale: tuple = ()  # ((value, label), ...), value 1 is the best answer; () = free text

    @property
    def is_text(self) -> bool:
        return not self.scale


@dataclass(frozen=True)
class Questionnaire:
    version: int
    title: str
    questions: tuple

    def question(self, key):
        return next((q for q in self.questions if q.key == key), None)

    @property
    def scaled(self):
        return tuple(q for q in self.questions if not q.is_text)


SATISFACTION = (
    (1, _("Strålende, kunne ikke være bedre")),
    (2, _("Godt")),
    (3, _("Både godt og skidt")),
    (4, _("Ret dårligt")),
    (5, _("Elendigt, kunne ikke være værre")),
)
#: Waiting time: "Slet ikke" is the best answer.
WAITING = (
    (1, _("Slet ikke")),
    (2, _("Lidt")),
    (3, _("Noget")),
    (4, _("En hel del")),
    (5, _("Meget")),
)
INFLUENCE = (
    (1, _("Meget")),
    (2, _("En hel del")),
    (3, _("Noget")),
    (4, _("Lidt")),
    (5, _("Slet ikke")),
)
CONVERSATIONS = (
    (1, _("Ja, lige så mange jeg kunne ønske")),
    (2, _("Ja, i høj grad")),
    (3, _("Ja, til en vis grad")),
    (4, _("Ja, en smule")),
    (5, _("Nej, slet ikke")),
)
INFORMATION = (
    (1, _("Ja, lige så meget jeg kunne ønske")),
    (2, _("Ja, i høj grad")),
    (3, _("Ja, til en vis grad")),
    (4, _("Ja, en smule")),
    (5, _("Nej, slet ikke")),
)

V1 = Questionnaire(
    version=1,
    title=_("Hvor tilfreds har du været med behandlingstilbuddet?"),
    questions=(
        Question("acute", _("Akut behandling"),
                 _("Er du blevet godt modtaget og forstået i det akutte behandlingsforløb?"),
                 _("Har personalet været venlige og imødekommende og lyttet til dine problemer? "
                   "Er du blevet ordentligt informeret om behandlingsmulighederne?"),
                 SATISFACTION),
        Question("waiting", _("Ventetid"),
                 _("Har du oplevet ventetid i begyndelsen eller undervejs i dit "
                   "behandlingsforløb?"),
                 _("Gælder ikke afrusning."), WAITING),
        Question("treatment", _("Behandlingen"),
                 _("Hvordan har dit forløb i behandlingstilbuddet været?"),
                 _("Fx samtalebehandling, rådgivning, afrusning eller medicinsk behandling."),
                 SATISFACTION),
        Question("influence", _("Behandlingens indhold"),
                 _("Har du haft indflydelse på indholdet i din behandling?"),
                 _("Har du haft indflydelse på de emner, der er blevet taget op til "
                   "samtalerne?"),
                 INFLUENCE),
        Question("contact", _("Kontakt med din behandler"),
                 _("Har du fået de samtaler med din behandler, som du har haft behov for?"),
                 "", CONVERSATIONS),
        Question("information", _("Information"),
                 _("Har du fået den information, du havde brug for?"), "", INFORMATION),
        Question("comments", _("Bemærkninger"), _("Her kan du tilføje bemærkninger"),
                 _("Skriv ikke dit navn eller andre oplysninger, der kan vise, hvem du er.")),
    ),
)

QUESTIONNAIRES = {V1.version: V1}
CURRENT = V1
COMMENT_MAX = 2000


def get(version: int) -> Questionnaire | None:
    return QUESTIONNAIRES.get(version)
