"""Load the bundled frameworks (issue 6 item 1): KL's 12 recommendations with Region Sjælland's
2014 indicator scheme, and the national guidelines for social drug treatment 2020 with every
anvisning. Later versions are added with `manage.py load_framework`, without code."""

from django.db import migrations


def _files():
    from forlob.quality.frameworks import loader

    return loader, [loader.read(loader.DIR / name) for name in loader.BUNDLED]


def load(apps, schema_editor):
    loader, descriptions = _files()
    for data in descriptions:
        loader.load(data, models=apps, using=schema_editor.connection.alias)


def unload(apps, schema_editor):
    """Removes the bundled versions again (refused by the database while rounds use them)."""
    _, descriptions = _files()
    Framework = apps.get_model("quality", "Framework")
    for data in descriptions:
        Framework.objects.using(schema_editor.connection.alias).filter(
            code=data["code"], version=data["version"]).delete()


class Migration(migrations.Migration):
    dependencies = [("quality", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
