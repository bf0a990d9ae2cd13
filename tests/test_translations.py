"""Every English source string has a Dutch translation that keeps its placeholders.

The messages are extracted from the source with the map in babel.cfg, exactly as
`scripts/translations.sh extract` does, so this fails as soon as someone adds a string
to the code or a template without translating it in app/translations/nl.
"""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
BABEL_CFG = ROOT / "babel.cfg"
NL_PO = ROOT / "app" / "translations" / "nl" / "LC_MESSAGES" / "messages.po"

# The same keywords as scripts/translations.sh: Babel's defaults plus flask_babel's lazy ones.
KEYWORDS = {
    **DEFAULT_KEYWORDS,
    "_l": None,
    "lazy_gettext": None,
    "lazy_ngettext": (1, 2),
    "lazy_pgettext": ((1, "c"), 2),
}
EXTRACTORS = {"jinja2": "jinja2.ext:babel_extract", "python": "python"}
SKIPPED_DIRS = {"__pycache__", "node_modules", "instance", "var", "migrations", "tests"}

# %(name)s, %(n)d, %(amount).2f, %s, %d, and the escaped %%.
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa%]")

MessageKey = tuple[str | tuple[str, ...], str | None]


def _keep_directory(path: str) -> bool:
    name = os.path.basename(path)
    return not name.startswith(".") and name not in SKIPPED_DIRS


@cache
def source_messages() -> dict[MessageKey, set[str]]:
    """Every message in the source, keyed as in a catalog, with the files using it."""
    with BABEL_CFG.open() as config:
        method_map, options_map = parse_mapping_cfg(config, filename=str(BABEL_CFG))
    assert ("app/letters/**", "ignore") in method_map, "babel.cfg must leave the letters out"
    method_map = [(pattern, EXTRACTORS.get(method, method)) for pattern, method in method_map]
    found: dict[MessageKey, set[str]] = {}
    for filename, _lineno, message, _comments, context in extract_from_dir(
        str(ROOT),
        method_map,
        options_map,
        keywords=KEYWORDS,
        directory_filter=_keep_directory,
    ):
        msgid = message if isinstance(message, str) else tuple(message)
        if not msgid or (isinstance(msgid, tuple) and not msgid[0]):
            continue
        found.setdefault((msgid, context), set()).add(filename)
    return found


@cache
def dutch_catalog() -> Catalog:
    with NL_PO.open("rb") as po:
        return read_po(po, locale="nl")


def _catalog_key(message: Message) -> MessageKey:
    return (message.id, message.context)


def _is_translated(message: Message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return bool(strings) and all(text and text.strip() for text in strings)


def _placeholders(text: str) -> set[str]:
    return {found for found in PLACEHOLDER.findall(text) if found != "%%"}


def _describe(key: MessageKey) -> str:
    msgid, context = key
    shown = " | ".join(msgid) if isinstance(msgid, tuple) else msgid
    return f"[{context}] {shown!r}" if context else repr(shown)


def test_the_source_has_messages_to_translate() -> None:
    messages = source_messages()
    assert len(messages) > 50, "extraction found almost nothing: is babel.cfg right?"
    files = {filename for users in messages.values() for filename in users}
    assert any(name.endswith(".html") for name in files)
    assert any(name.endswith(".txt") for name in files)
    assert any(name.endswith(".py") for name in files)
    assert not any(name.startswith(("app/letters", "workflows")) for name in files)


def test_every_source_message_has_a_dutch_translation() -> None:
    catalog = dutch_catalog()
    translated = {_catalog_key(m) for m in catalog if m.id and _is_translated(m)}
    missing = sorted(
        (key for key in source_messages() if key not in translated),
        key=_describe,
    )
    listing = "\n".join(
        f"  {_describe(key)}  ({', '.join(sorted(source_messages()[key]))})" for key in missing
    )
    assert not missing, (
        f"{len(missing)} message(s) without a Dutch translation in {NL_PO}.\n"
        "Run `scripts/translations.sh extract && scripts/translations.sh update`, translate "
        f"them and run `scripts/translations.sh compile`:\n{listing}"
    )


def test_dutch_translations_keep_every_placeholder() -> None:
    wrong = []
    for message in dutch_catalog():
        if not message.id or not _is_translated(message):
            continue
        if isinstance(message.id, tuple):
            singular, plural = message.id
            expected = [_placeholders(singular)] + [_placeholders(plural)] * (
                len(message.string) - 1
            )
            strings = list(message.string)
        else:
            expected = [_placeholders(message.id)]
            strings = [message.string]
        for want, text in zip(expected, strings, strict=True):
            if _placeholders(text) != want:
                wrong.append(f"  {_describe(_catalog_key(message))} -> {text!r}")
    assert not wrong, "Dutch translations whose placeholders differ from the English:\n" + (
        "\n".join(wrong)
    )


def test_dutch_plural_entries_have_both_forms() -> None:
    catalog = dutch_catalog()
    assert catalog.num_plurals == 2
    short = [
        f"  {_describe(_catalog_key(m))}"
        for m in catalog
        if isinstance(m.id, tuple) and len(m.string) != catalog.num_plurals
    ]
    assert not short, "plural entries without exactly two Dutch forms:\n" + "\n".join(short)


def test_no_dutch_translation_is_fuzzy() -> None:
    fuzzy = [f"  {_describe(_catalog_key(m))}" for m in dutch_catalog() if m.id and m.fuzzy]
    assert not fuzzy, "fuzzy entries (check the translation, then remove the flag):\n" + (
        "\n".join(fuzzy)
    )
