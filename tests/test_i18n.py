"""Danish first, English through Django i18n: the catalogue is complete and used."""

from pathlib import Path

import pytest
from django.urls import reverse

PO = Path(__file__).resolve().parent.parent / "src/forlob/locale/en/LC_MESSAGES/django.po"


def _entries(text):
    """(msgid, msgstr, flags) of each entry in a .po file (plural forms: the first form)."""
    entries, msgid, msgstr, flags, cur = [], None, None, "", None
    for line in text.splitlines() + [""]:
        if line.startswith("#,"):
            flags = line
        elif line.startswith("msgid "):
            msgid, cur = line[6:].strip('"'), "id"
        elif line.startswith("msgstr ") or line.startswith("msgstr[0] "):
            msgstr, cur = line.split(" ", 1)[1].strip('"'), "str"
        elif line.startswith('"') and cur:
            if cur == "id":
                msgid += line.strip('"')
            else:
                msgstr += line.strip('"')
        elif not line.strip() and msgid is not None:
            entries.append((msgid, msgstr, flags))
            msgid, msgstr, flags, cur = None, None, "", None
    return [e for e in entries if e[0]]


def test_english_catalogue_is_complete():
    entries = _entries(PO.read_text(encoding="utf-8"))
    assert len(entries) > 100
    untranslated = [m for m, s, _ in entries if not s]
    fuzzy = [m for m, _, f in entries if "fuzzy" in f]
    assert not untranslated, untranslated[:10]
    assert not fuzzy, fuzzy[:10]


@pytest.mark.django_db
def test_language_switch_gives_english_pages(world, login):
    client = login(world.caseworker)
    danish = client.get(reverse("portal:home")).content.decode()
    assert 'lang="da"' in danish and "Log af" in danish
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    english = client.get(reverse("portal:home")).content.decode()
    assert 'lang="en"' in english
    assert "Log out" in english and "Log af" not in english
    assert "Citizens" in english
