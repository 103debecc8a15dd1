"""YAML catalogs: nested key → string (like JSON), Rails-style locale roots, Home Assistant intents.

Generic files give one record per string, keyed by the dotted path (``greeting.morning``); a
list gives one record per variant. A top-level ``language:`` names the locale of every record
(Home Assistant; elsewhere only when its value is shaped like a locale, since ``language:
Sprache`` may just be a message), as does a single top-level locale key (Rails: ``de: {...}``).

Home Assistant intent repositories get their meaning back instead of a dotted path:

* responses (``responses: intents: HassTurnOn: default: "..."``) → key ``HassTurnOn.default``,
  intent ``HassTurnOn``; other response sections (``responses: errors: no_area``) → key
  ``errors.no_area``;
* sentence templates (``intents: HassTurnOn: data: - sentences: [...]``) → utterance records,
  one per template, with the intent set and no key (templates are not translations of each
  other, so they must not be paired with a source string by position);
* the grammar sections (``lists``, ``expansion_rules``, ``skip_words``, ``settings``) are not
  content and are skipped.

Suppression lives in comments, because YAML has nowhere else to put it: ``# locale-guard:
ignore[offensive,placeholders/missing]`` on a key's line, or in the comment lines directly above
it, suppresses those checks or rules for that key and everything nested under it.

Line numbers come from the composed node marks, so they are exact. Parsing goes through
:mod:`locale_guard.readers._yaml_safe`, which refuses alias bombs and deep nesting. Keys are
taken as written (``no:`` stays ``"no"``, not YAML 1.1's ``False``); values that YAML reads as
numbers, booleans or null are not text and are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from locale_guard.readers._yaml_safe import NULL_TAG, STR_TAG, compose, mapping_pairs
from locale_guard.readers.base import InputError, Reader, ReadRequest, read_text
from locale_guard.records import records_from_rows
from locale_guard.tags import LocaleTagError, normalise_tag

_IGNORE_COMMENT = re.compile(r"#.*?locale-guard:\s*ignore\[([^\]]*)\]")
_SKIP_PREFIXES = ("$", "@", "_")
#: a top-level key that can only be a locale (Rails): two-letter language, optional subtags
_RAILS_ROOT = re.compile(r"^[A-Za-z]{2}(?:[-_][A-Za-z0-9]{2,8})*$")
_HA_SECTIONS = ("responses", "intents")


def _split_rules(raw: str) -> list[str]:
    return [r.strip() for r in raw.split(",") if r.strip()]


class _Suppressions:
    """Inline ``# locale-guard: ignore[...]`` comments, looked up by the line of a node."""

    def __init__(self, text: str) -> None:
        self.by_line: dict[int, list[str]] = {}
        self.comment_only: set[int] = set()
        if "locale-guard" not in text:
            return
        for number, line in enumerate(text.splitlines(), start=1):
            stripped = line.lstrip()
            if stripped.startswith("#"):
                self.comment_only.add(number)
            m = _IGNORE_COMMENT.search(line)
            if m:
                self.by_line[number] = _split_rules(m.group(1))

    def at(self, line: int) -> list[str]:
        """Rules named on ``line`` itself or in the run of comment lines just above it."""
        if not self.by_line:
            return []
        found = list(self.by_line.get(line, []))
        above = line - 1
        while above in self.comment_only:
            found.extend(self.by_line.get(above, []))
            above -= 1
        return found


def _line(node: Node) -> int:
    return node.start_mark.line + 1


def _is_text(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.tag == STR_TAG


def _locale_from(path: Path, node: Node) -> str:
    if not _is_text(node):
        raise InputError(path, "'language' must be a locale tag such as de or pt-BR", line=_line(node))
    try:
        return normalise_tag(str(node.value)).tag
    except LocaleTagError as exc:
        raise InputError(path, f"language: {exc}", line=_line(node)) from None


class _Walker:
    def __init__(self, text: str) -> None:
        self.suppress = _Suppressions(text)

    def strings(self, node: Node, prefix: str, inherited: list[str]) -> Iterator[dict[str, Any]]:
        """Generic nested mapping → one row per string (lists are variants)."""
        if not isinstance(node, MappingNode):
            return
        for key_node, value in mapping_pairs(node):
            if not isinstance(key_node, ScalarNode):
                continue
            raw = str(key_node.value)
            if raw.startswith(_SKIP_PREFIXES):
                continue
            key = f"{prefix}.{raw}" if prefix else raw
            line = _line(key_node)
            here = inherited + self.suppress.at(line)
            if _is_text(value):
                yield {"key": key, "text": value.value, "line": line, "variant": 0, "suppress": here}
            elif isinstance(value, SequenceNode):
                for i, item in enumerate(value.value):
                    if _is_text(item):
                        item_line = _line(item)
                        own = self.suppress.at(item_line) if item_line != line else []
                        yield {
                            "key": key, "text": item.value, "line": item_line,
                            "variant": i, "suppress": here + own,
                        }
            elif isinstance(value, MappingNode):
                yield from self.strings(value, key, here)

    def ha_responses(self, node: Node) -> Iterator[dict[str, Any]]:
        """``responses:`` → ``<Intent>.<name>`` for intents, ``<section>.<name>`` otherwise."""
        if not isinstance(node, MappingNode):
            return
        for key_node, value in mapping_pairs(node):
            if not isinstance(key_node, ScalarNode):
                continue
            section_sup = self.suppress.at(_line(key_node))
            if key_node.value != "intents" or not isinstance(value, MappingNode):
                yield from self.strings(
                    MappingNode("tag:yaml.org,2002:map", [(key_node, value)]), "", []
                )
                continue
            for intent_node, responses in mapping_pairs(value):
                if not isinstance(intent_node, ScalarNode):
                    continue
                intent = str(intent_node.value)
                here = section_sup + self.suppress.at(_line(intent_node))
                for row in self.strings(responses, intent, here):
                    yield {**row, "intent": intent}

    def ha_sentences(self, node: Node, path: Path) -> Iterator[dict[str, Any]]:
        """``intents: <Intent>: data: - sentences: [...]`` → utterance rows."""
        if not isinstance(node, MappingNode):
            return
        for intent_node, body in mapping_pairs(node):
            if not isinstance(intent_node, ScalarNode) or not isinstance(body, MappingNode):
                continue
            intent = str(intent_node.value)
            intent_sup = self.suppress.at(_line(intent_node))
            data = next((v for k, v in mapping_pairs(body) if k.value == "data"), None)
            if not isinstance(data, SequenceNode):
                continue
            n = 0
            for block in data.value:
                if not isinstance(block, MappingNode):
                    continue
                for key_node, sentences in mapping_pairs(block):
                    if key_node.value != "sentences" or not isinstance(sentences, SequenceNode):
                        continue
                    block_sup = intent_sup + self.suppress.at(_line(key_node))
                    for item in sentences.value:
                        if not _is_text(item):
                            continue
                        line = _line(item)
                        yield {
                            "record_id": f"{path}#utterance:{intent}[{n}]",
                            "kind": "utterance", "intent": intent, "text": item.value,
                            "line": line, "variant": n, "suppress": block_sup + self.suppress.at(line),
                        }
                        n += 1


def _is_ha(top: dict[str, Node]) -> bool:
    return any(isinstance(top.get(name), MappingNode) for name in _HA_SECTIONS)


def _names_locale(node: Node, home_assistant: bool) -> bool:
    """Whether a top-level ``language:`` is the file's locale rather than a message.

    Home Assistant files always mean the locale. Elsewhere ``language: Sprache`` is the label
    of a settings entry, so only a value shaped like a locale (``de``, ``pt-BR``) counts; a
    wrong one shaped like that (``jp``) is still reported rather than read as text.
    """
    if home_assistant:
        return True
    return _is_text(node) and bool(_RAILS_ROOT.match(str(node.value).strip()))


def _rails_root(pairs: list[tuple[Node, Node]]) -> str | None:
    """The locale of a Rails-style file (one top-level key that is a locale), else None."""
    if len(pairs) != 1:
        return None
    key, value = pairs[0]
    if not (isinstance(key, ScalarNode) and isinstance(value, MappingNode)):
        return None
    if not _RAILS_ROOT.match(str(key.value)):
        return None
    try:
        return normalise_tag(str(key.value)).tag
    except LocaleTagError:
        return None


def read(request: ReadRequest) -> pl.DataFrame:
    path = request.path
    text = read_text(path, request.max_bytes)
    root = compose(path, text) if text.strip() else None
    if root is None or (isinstance(root, ScalarNode) and root.tag == NULL_TAG):
        return records_from_rows([], path=str(path))
    if not isinstance(root, MappingNode):
        raise InputError(path, "a YAML catalog must be a mapping of key → string", line=_line(root))
    walker = _Walker(text)
    pairs = [(k, v) for k, v in mapping_pairs(root) if isinstance(k, ScalarNode)]
    top = {str(k.value): v for k, v in pairs}
    locale = request.locale
    rows: list[dict[str, Any]] = []
    home_assistant = _is_ha(top)
    if "language" in top and _names_locale(top["language"], home_assistant):
        locale = _locale_from(path, top["language"])
        if home_assistant:
            if "responses" in top:
                rows.extend(walker.ha_responses(top["responses"]))
            if "intents" in top:
                rows.extend(walker.ha_sentences(top["intents"], path))
        else:
            rest = [(k, v) for k, v in pairs if k.value != "language"]
            rows.extend(walker.strings(MappingNode(root.tag, rest), "", []))
    elif (rails := _rails_root(pairs)) is not None:
        locale = rails
        key_node, tree = pairs[0]
        rows.extend(walker.strings(tree, "", walker.suppress.at(_line(key_node))))
    else:
        rows.extend(walker.strings(root, "", []))
    return records_from_rows(rows, path=str(path), locale=locale, kind="response")


READER = Reader(
    name="yaml",
    extensions=(".yaml", ".yml"),
    read=read,
    priority=0,
    description="YAML catalogs: nested key → string, Rails locale roots, Home Assistant intents",
)
