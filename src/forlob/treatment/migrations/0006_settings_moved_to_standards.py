"""The aftercare settings and review intervals now live in the quality standard
(standards.0002 carried them over)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('standards', '0002_carry_over_settings'),
        ('treatment', '0005_seed_methods'),
    ]

    operations = [
        migrations.DeleteModel(name='AftercareSettings'),
        migrations.DeleteModel(name='ReviewInterval'),
    ]
