from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from forlob.indicators.docs import render


class Command(BaseCommand):
    help = "Write docs/indicators.md from the KPI catalogue."

    def handle(self, *args, **options):
        path = Path(settings.BASE_DIR) / "docs" / "indicators.md"
        path.write_text(render(), encoding="utf-8")
        self.stdout.write(str(path))
