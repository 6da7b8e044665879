"""`manage.py load_framework path.json [--check]`: add a framework version (issue 6 item 1: a
new version without code). The JSON format is in docs/quality.md, "Rammeværker / Frameworks".
A loaded version is never changed; a corrected text is a new version."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from forlob.quality.frameworks import loader


class Command(BaseCommand):
    help = _("Indlæser en ny version af et rammeværk fra en JSON-fil.")

    def add_arguments(self, parser):
        parser.add_argument("path", help=_("JSON-filen med rammeværket"))
        parser.add_argument("--check", action="store_true",
                            help=_("Kontrollér kun filen; gem intet."))

    def handle(self, *args, path, check=False, **options):
        try:
            data = loader.read(path)
            if check:
                problems = loader.validate(data)
                if problems:
                    raise loader.FrameworkError(problems)
                self.stdout.write(_("Filen er i orden: %(name)s, version %(version)s.")
                                  % {"name": data["name"], "version": data["version"]})
                return
            framework = loader.load(data)
        except loader.FrameworkError as e:
            raise CommandError(str(e)) from e
        sections = framework.sections.count()
        items = sum(len(s.get("items", [])) for s in data["sections"])
        self.stdout.write(self.style.SUCCESS(
            _("Indlæst: %(name)s, version %(version)s (%(sections)d afsnit, %(items)d punkter).")
            % {"name": framework.name, "version": framework.version, "sections": sections,
               "items": items}))
