"""docs/indicators.md defines every KPI in Danish and English, and is the catalogue's."""

from pathlib import Path

from django.conf import settings

from forlob.indicators.catalogue import CATALOGUE
from forlob.indicators.docs import render


def test_every_kpi_is_defined_in_both_languages():
    assert CATALOGUE
    for kpi in CATALOGUE.values():
        assert kpi.name_da and kpi.name_en and kpi.definition_da and kpi.definition_en
        assert kpi.numerator and kpi.denominator and kpi.source
        assert kpi.better in {"higher", "lower", "none"}


def test_docs_are_generated_from_the_catalogue():
    path = Path(settings.BASE_DIR) / "docs" / "indicators.md"
    assert path.read_text(encoding="utf-8") == render(), "run: python manage.py kpi_docs"
