"""Seed the method catalogue with the methods the national guidelines name (retningslinjer
2020, L929-939 and L1240). Knowledge levels (A-D) are left for the municipality to set: the
guidelines do not grade each method here. New methods are added in the Django admin."""

from django.db import migrations

METHODS = [
    ("Motiverende Interview (MI)", "Samtalemetode, der styrker borgerens egen motivation for "
     "forandring.", ""),
    ("Kognitiv adfærdsterapi (KAT)", "Struktureret behandling af sammenhængen mellem tanker, "
     "følelser og handlinger, herunder tilbagefaldsforebyggelse.", ""),
    ("Feedback Informed Treatment (FIT)", "Løbende feedback fra borgeren om udbytte og "
     "alliance, brugt til at justere behandlingen.", ""),
    ("Åben Dialog", "Netværksmøder med borgeren og dennes netværk.", ""),
    ("Relationel Koordinering", "Metode til koordinering mellem fagpersoner og sektorer.",
     "Borgere med sammensatte problemer"),
    ("Critical Time Intervention (CTI)", "Tidsafgrænset, intensiv støtte i overgange, fx efter "
     "udskrivning.", "Borgere med sammensatte problemer"),
    ("Assertive Community Treatment (ACT)", "Integreret, opsøgende teambehandling.",
     "Dobbeltbelastede borgere"),
    ("U-turn", "Helhedsorienteret behandling af unge.", "Unge"),
    ("U18", "Behandlingsmetode for unge med fokus på samarbejde.", "Unge"),
    ("MOVE", "Kort motivationsforløb for unge.", "Unge"),
]


def seed(apps, schema_editor):
    Method = apps.get_model("treatment", "Method")
    for name, description, groups in METHODS:
        Method.objects.get_or_create(name=name, defaults={
            "description": description, "target_groups": groups})


class Migration(migrations.Migration):
    dependencies = [("treatment", "0004_method_catalogue")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
