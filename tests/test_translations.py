"""The English interface: the compiled catalogue matches its source, and
every string is translated."""

import ast
import gettext
from pathlib import Path

from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"


def po_entries() -> dict[str, str]:
    """msgid → msgstr (singular) from the .po file, with continuation lines."""
    entries: dict[str, str] = {}
    current: dict[str, str] = {}
    key = None
    for line in (LOCALE / "django.po").read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("#~"):
            continue
        if not line.strip():
            if current.get("msgid"):
                entries[current["msgid"]] = current.get("msgstr", current.get("msgstr[0]", ""))
            current, key = {}, None
            continue
        if line.startswith("#"):
            continue
        if line.startswith('"'):
            current[key] += ast.literal_eval(line)
            continue
        key, _, value = line.partition(" ")
        current[key] = ast.literal_eval(value)
    return entries


def test_every_interface_string_has_an_english_translation():
    untranslated = [msgid for msgid, msgstr in po_entries().items() if not msgstr]
    assert untranslated == []


def test_the_compiled_catalogue_is_up_to_date_with_the_po_file():
    with (LOCALE / "django.mo").open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    stale = [msgid for msgid, msgstr in po_entries().items() if catalogue.gettext(msgid) != msgstr]
    assert stale == [], "run: .venv/bin/python manage.py compilemessages -l en --ignore=.venv"


def test_the_po_file_has_no_fuzzy_entries():
    assert "#, fuzzy" not in (LOCALE / "django.po").read_text(encoding="utf-8")
