"""Starting text for a municipality's first version: the complaint routes the law gives per
track and short plain-Danish section texts. Every municipality edits them before adoption."""

from django.utils.translation import gettext_noop

#: Complaint routes per track: (to whom, deadline, guidance).
COMPLAINT_ROUTES = {
    # Retssikkerhedsloven § 66-67: 4 weeks, sent to the municipality, which reconsiders it
    # before it goes on to Ankestyrelsen (retningslinje 3.6, L1722).
    "sel101": (gettext_noop("Kommunen, der genvurderer sagen og sender den videre til "
                            "Ankestyrelsen, hvis afgørelsen fastholdes"),
               gettext_noop("4 uger efter, at du har modtaget afgørelsen"),
               gettext_noop("Du kan klage over kommunens afgørelse om social behandling efter "
                            "serviceloven § 101. Kommunen genvurderer sagen inden 4 uger.")),
    # Anonymous treatment has no decision; complaints about the service go to the municipality.
    "sel101a": (gettext_noop("Kommunen"), "",
                gettext_noop("Anonym behandling efter serviceloven § 101 a kræver ingen "
                             "afgørelse. Du kan klage over behandlingen til kommunen.")),
    # Klage- og erstatningsloven: decisions on SUL § 141 are final; complaints about the
    # health-care treatment go to Styrelsen for Patientklager within 2 (at most 5) years.
    "sul141": (gettext_noop("Kan ikke påklages til anden myndighed"), "",
               gettext_noop("Afgørelser om alkoholbehandling efter sundhedsloven § 141 er "
                            "endelige (lov om klage- og erstatningsadgang inden for "
                            "sundhedsvæsenet).")),
    "sul142": (gettext_noop("Styrelsen for Patientklager"),
               gettext_noop("2 år efter, at du fik kendskab til forholdet, og senest 5 år "
                            "efter, at det skete"),
               gettext_noop("Du kan klage over den lægelige behandling efter sundhedsloven "
                            "§ 142. Klagen indgives som hovedregel digitalt via borger.dk.")),
}

SECTIONS = {
    "target": gettext_noop("Tilbuddet er for borgere i kommunen, der har et problematisk forbrug "
                           "af alkohol, stoffer eller ikke-ordineret medicin. Rådgivning og "
                           "behandling er gratis."),
    "course": gettext_noop("Når du beder om behandling, taler vi med dig om hele din situation. "
                           "Vi afgør sammen med dig, hvilken behandling der passer til dig."),
    "decisions": gettext_noop("Du får en skriftlig afgørelse med begrundelse og klagevejledning. "
                              "Du kan frit vælge et andet godkendt behandlingstilbud."),
    "plans": gettext_noop("Sammen med dig laver behandleren en behandlingsplan ved "
                          "behandlingens start. Planen bliver fulgt op løbende."),
    "coordinating": gettext_noop("Har du også en psykisk lidelse eller brug for hjælp fra flere "
                                 "steder, kan vi lave en koordinerende indsatsplan."),
    "own_payment": gettext_noop("Selve behandlingen er gratis. Ved døgnbehandling kan der være "
                                "egenbetaling for kost og logi, som afhænger af din indtægt."),
    "monitoring": gettext_noop("Vi følger op på, hvordan det går, og på om vi holder de frister, "
                               "der står i denne kvalitetsstandard."),
    "register": gettext_noop("Vi indberetter oplysninger om behandlingen til de nationale "
                             "registre, som loven kræver."),
}
