"""Every interface string exists in the id, en and mkn catalogs, with matching placeholders."""

import re

import pytest
from babel.messages.pofile import read_po

from api.i18n import DOMAIN, extract
from api.settings import PROJECT_ROOT

PLACEHOLDER = re.compile(r"\{(\w*)\}")
DASHBOARD = "api/web/"
MESSAGES = [message for message in extract(PROJECT_ROOT) if message.id]
SOURCE = {message.id for message in MESSAGES}
# The staff dashboard is in Indonesian and English only; the bot speaks every language.
BOT_SOURCE = {
    message.id
    for message in MESSAGES
    if not all(path.startswith(DASHBOARD) for path, _line in message.locations)
}


def catalog(lang: str):
    with (PROJECT_ROOT / "locales" / lang / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as po:
        return read_po(po)


@pytest.mark.parametrize(("lang", "source"), [("id", SOURCE), ("en", SOURCE), ("mkn", BOT_SOURCE)])
def test_catalog_has_every_message(lang, source):
    translated = {m.id for m in catalog(lang) if m.id and m.string and not m.fuzzy}
    assert sorted(source - translated) == []


@pytest.mark.parametrize("lang", ["id", "en", "mkn", "tet", "aoz"])
def test_placeholders_match_the_source(lang):
    mismatched = [
        m.id
        for m in catalog(lang)
        if m.id
        and m.string
        and set(PLACEHOLDER.findall(m.id)) != set(PLACEHOLDER.findall(m.string))
    ]
    assert mismatched == []


def test_menu_labels_distinct_in_each_language():
    from api.i18n import Catalogs
    from bot import texts

    catalogs = Catalogs(PROJECT_ROOT / "locales")
    for lang in catalogs.languages:
        _ = catalogs.translator(lang)
        labels = [_(label) for row in texts.MENU_LAYOUT for label in row]
        assert len(set(labels)) == len(labels), lang
