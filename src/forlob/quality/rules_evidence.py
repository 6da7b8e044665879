"""Which KPI measures which self-assessed indicator, and below which value the data disagrees
with a "ja" (issue 6 item 6). Declared once, as data, each pair with its source; evidence.py
computes them and rules.disagrees raises the flag.

A pair names the framework *family*: the part of the framework code before the first "-"
("kl" for KL's 12 recommendations, "kl-12", in every version; "nr" for the national guidelines,
"nr-2020"). A new version of a framework keeps its numbering and so its pairs.

Thresholds: a "ja" claims the indicator is met. Where the source states a duty for every
citizen (a "skal" anvisning, a legal deadline), a "ja" is doubtful below 90 % [inference: room
for the cases a clock cannot see, e.g. a citizen's own postponement]. Where the indicator
speaks of "when possible and relevant", a share below a half is doubtful [inference]. The
flag asks the coordinator to look; it never changes the answer or the category.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

#: A duty for every citizen: below this share a "ja" is doubtful [inference, see above].
DUTY = 0.9
#: "When possible and relevant": below this share a "ja" is doubtful [inference].
WHEN_RELEVANT = 0.5


@dataclass(frozen=True)
class Pair:
    family: str  # framework code family: "kl" or "nr"
    item: str  # the indicator's or anvisning's number
    kpi: str  # indicators.catalogue code
    threshold: float  # below this, a "ja" disagrees with the data
    flag_text: str  # "%(value)s" is the shown value
    source: str  # why the KPI measures the indicator, and where the threshold comes from
    further: bool = False  # a further line under the same item (shown after the first)


PAIRS: tuple[Pair, ...] = (
    Pair("kl", "1.2", "network_involvement", WHEN_RELEVANT,
         _("Svaret er ja, men kun %(value)s af forløbene i behandling havde netværket "
           "inddraget."),
         "KL anbefaling 1, indikator 1.2 (familie inddrages, når det er muligt og relevant); "
         "nationale retningslinjer 3.2. Tærskel: halvdelen [inference]."),
    Pair("kl", "5.1", "review_cadence", DUTY,
         _("Svaret er ja, men kun %(value)s af de aktive forløb havde opfølgning på planen "
           "til tiden."),
         "KL anbefaling 5, indikator 5.1 (løbende og systematisk opfølgning); SEL § 101, "
         "stk. 8; retningslinje 3.9.1 (skal). Tærskel: 90 % [inference]."),
    Pair("kl", "5.2", "follow_up_1", WHEN_RELEVANT,
         _("Svaret er ja, men kun %(value)s af opfølgningerne 1 måned efter udskrivning blev "
           "gennemført."),
         "KL anbefaling 5, indikator 5.2 (systematisk opfølgning efter endt behandling); bek. "
         "1477 § 4, stk. 2; retningslinje 3.12.1. Borgere, der takker nej, tæller i nævneren, "
         "derfor halvdelen [inference]."),
    Pair("kl", "5.2", "follow_up_6", WHEN_RELEVANT,
         _("Svaret er ja, men kun %(value)s af opfølgningerne 6 måneder efter udskrivning blev "
           "gennemført."),
         "KL anbefaling 5, indikator 5.2; bek. 1477 § 4, stk. 2 (igen efter 6 måneder); "
         "retningslinje 3.12.1. Tærskel som for 1 måned [inference].", further=True),
    Pair("kl", "7.1", "registration_complete", DUTY,
         _("Svaret er ja, men kun %(value)s af forløbene startet eller udskrevet i perioden "
           "var komplet registreret."),
         "KL anbefaling 7, indikator 7.1 (systematisk procedure for løbende indberetning); "
         "retningslinje 2.7.6 (skal); bek. nr. 1094 af 22.10.2019, bilag 4 (SMDB). Tærskel: "
         "90 % [inference]."),
    Pair("kl", "9.1", "medical_and_psychosocial", 1.0,
         _("Svaret er ja, men kun én af de to behandlingsformer (medicinsk og psykosocial) "
           "havde forløb i behandling i perioden (%(value)s)."),
         "KL anbefaling 9, indikator 9.1 (tilbud om såvel medicinsk som psykosocial "
         "behandling); retningslinje 2.3.7. Begge skal være i brug: 100 %."),
    Pair("kl", "10.1", "screening_rate", 0.25,
         _("Svaret er ja, men kun %(value)s af afdækningerne vurderede specialiseret "
           "screening eller udredning relevant."),
         "KL anbefaling 10, indikator 10.1 (alle tilbydes systematisk basisscreening); "
         "retningslinje 3.5.6. Statusrapport 2014: over 50 % med alkoholafhængighed og op til "
         "75 % af stofbrugerne har en psykisk lidelse; færre end en fjerdedel med screening "
         "vurderet relevant tyder på, at screeningen ikke er systematisk [inference]."),
    Pair("kl", "12.2", "linked_plans", WHEN_RELEVANT,
         _("Svaret er ja, men kun %(value)s af de aktive behandlingsplaner var koblet til en "
           "§ 141-handleplan eller en koordinerende indsatsplan."),
         "KL anbefaling 12, indikator 12.2 (samarbejde om den enkelte borger); SEL § 141 "
         "(handleplan tilbydes ved misbrug); retningslinje 2.6.13. Tærskel: halvdelen "
         "[inference]."),
    Pair("nr", "3.4.1", "guarantee_kept", DUTY,
         _("Svaret er ja, men behandlingsgarantien blev kun overholdt for %(value)s af "
           "forløbene."),
         "Retningslinje 3.4.1 (skal): behandling senest 14 dage efter anmodningen; SEL § 101, "
         "stk. 4. Tærskel: 90 % [inference]."),
    Pair("nr", "3.5.2", "assessment_14", DUTY,
         _("Svaret er ja, men kun %(value)s af afdækningerne blev afsluttet inden for 14 "
           "dage."),
         "Retningslinje 3.5.2 (skal): afdækningen inden for 14 dage; bek. 1477 § 1. Tærskel: "
         "90 % [inference]."),
    Pair("nr", "3.7.1", "plan_at_start", DUTY,
         _("Svaret er ja, men kun %(value)s af forløbene fik en behandlingsplan ved start."),
         "Retningslinje 3.7.1 (skal): behandlingsplan ved behandlingens start; SEL § 101, "
         "stk. 8. Tærskel: 90 % [inference]."),
    Pair("nr", "3.12.1", "follow_up_1", WHEN_RELEVANT,
         _("Svaret er ja, men kun %(value)s af opfølgningerne 1 måned efter udskrivning blev "
           "gennemført."),
         "Retningslinje 3.12.1 (skal); bek. 1477 § 4, stk. 2. Borgere, der takker nej, tæller "
         "i nævneren, derfor halvdelen [inference]."),
    Pair("nr", "3.12.1", "follow_up_6", WHEN_RELEVANT,
         _("Svaret er ja, men kun %(value)s af opfølgningerne 6 måneder efter udskrivning blev "
           "gennemført."),
         "Retningslinje 3.12.1 (skal, igen efter 6 måneder); bek. 1477 § 4, stk. 2 "
         "[inference: tærskel som for 1 måned].", further=True),
)


def family(framework_code: str) -> str:
    """The family a framework code belongs to: the part before the first "-" ("kl-12" → "kl",
    "nr-2020" → "nr"). Pairs are declared per family, so every version keeps them."""
    return (framework_code or "").split("-", 1)[0].lower()


def pairs_for(framework_code: str, numbers=None) -> tuple[Pair, ...]:
    """The pairs of a framework, in declaration order (the first pair of an item is its main
    line, `further` ones follow); only those of `numbers` when given."""
    fam = family(framework_code)
    wanted = None if numbers is None else set(numbers)
    return tuple(p for p in PAIRS
                 if p.family == fam and (wanted is None or p.item in wanted))
