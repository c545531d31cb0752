"""The program's own words: gettext catalogs under locales/, compiled in memory at start."""

import copy
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

import yaml
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from babel.support import NullTranslations, Translations

DOMAIN = "messages"
Translator = Callable[[str], str]


def N_(message: str) -> str:
    """Mark a string for extraction without translating it here (translated where shown)."""
    return message


def compile_catalog(po_path: Path) -> Translations:
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file, domain=DOMAIN)
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer, domain=DOMAIN)


class Catalogs:
    """Compiled catalogs per language; a missing message falls back to the fallback language."""

    def __init__(self, locales_dir: Path, fallback: str = "id"):
        self.fallback = fallback
        self._translations: dict[str, NullTranslations] = {}
        for po_path in sorted(locales_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
            self._translations[po_path.parent.parent.name] = compile_catalog(po_path)
        fallback_translations = self._translations.get(fallback)
        for lang, translations in self._translations.items():
            if lang not in (fallback, "en") and fallback_translations is not None:
                translations.add_fallback(fallback_translations)

    @property
    def languages(self) -> list[str]:
        return sorted(self._translations)

    def translator(self, lang: str | None) -> Translator:
        translations = self._translations.get(lang or "") or self._translations.get(
            self.fallback, NullTranslations()
        )
        return translations.gettext


def extract(project_root: Path) -> Catalog:
    """Every translatable string in the code, as a template catalog (what babel.cfg lists)."""
    from babel.messages.extract import extract_from_dir

    template = Catalog(domain=DOMAIN)
    for filename, lineno, message, comments, context in extract_from_dir(
        str(project_root),
        method_map=[
            ("api/**.py", "python"),
            ("bot/**.py", "python"),
            ("api/web/templates/**.html", "jinja2"),
        ],
    ):
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    for filename, lineno, message in form_messages(project_root / "content"):
        template.add(message, None, [(filename, lineno)])
    return template


def form_messages(content_dir: Path) -> list[tuple[str, int, str]]:
    """The texts of the report forms (content/report_forms/*.yaml), with file and line: they
    are message ids of the catalogs like the code's strings."""
    found = []
    for path in sorted((content_dir / "report_forms").glob("*.yaml")):
        name = f"content/report_forms/{path.name}"
        for node in _text_nodes(yaml.compose(path.read_text(encoding="utf-8"))):
            found.append((name, node.start_mark.line + 1, str(node.value)))
    return found


FORM_TEXT_KEYS = {"title", "collected", "question", "label", "staff_label"}


def _text_nodes(node: object, key: str | None = None) -> list:
    if isinstance(node, yaml.MappingNode):
        return [n for k, v in node.value for n in _text_nodes(v, str(k.value))]
    if isinstance(node, yaml.SequenceNode):
        return [n for item in node.value for n in _text_nodes(item, key)]
    if isinstance(node, yaml.ScalarNode) and key in FORM_TEXT_KEYS:
        return [node]
    return []


def update_catalogs(project_root: Path, locales_dir: Path, languages: list[str]) -> list[Path]:
    """Bring every language's catalog in line with the code; new strings arrive untranslated,
    strings no longer in the code are dropped.

    English is the source language, so its catalog is filled with the source strings.
    """
    template = extract(project_root)
    written = []
    for lang in languages:
        po_path = locales_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
        po_path.parent.mkdir(parents=True, exist_ok=True)
        if po_path.exists():
            with po_path.open("rb") as po_file:
                catalog = read_po(po_file, domain=DOMAIN)
        else:
            catalog = Catalog(domain=DOMAIN, project="ntt-safe-migration-helpline")
        # a copy each: update() adopts the template's messages, and English fills them in
        catalog.update(copy.deepcopy(template), no_fuzzy_matching=True)
        if lang == "en":
            for message in catalog:
                if message.id and not message.string:
                    message.string = message.id
        with po_path.open("wb") as po_file:
            write_po(
                po_file,
                catalog,
                omit_header=False,
                no_location=True,
                sort_output=True,
                ignore_obsolete=True,  # the code is the source; git keeps what was removed
                width=100,
            )
        written.append(po_path)
    return written
