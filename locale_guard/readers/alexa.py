"""Alexa skill interaction models (``skill-package/interactionModels/custom/de-DE.json``).

An interaction model is a skill's training data for one locale. Everything people say to the
skill and everything the skill says back is read:

* ``languageModel.invocationName`` → one utterance, key ``invocationName``, flag ``invocation``.
* ``languageModel.intents[].samples`` → utterances with ``intent`` = the intent name, key
  ``intents/<Intent>``, ``variant`` = index of the sample. ``{Slot}`` references stay in the
  text, and each becomes a slot ``{type: <slot type>, value: null, start, end}`` where
  start/end span ``{Slot}`` braces included; a reference to a slot the intent does not declare
  gets type null.
* ``intents[].slots[].samples`` (what users say when asked for one slot) → utterances of that
  intent, key ``intents/<Intent>/slots/<Slot>``, flag ``slot-sample``.
* ``languageModel.types[].values`` (custom slot values and their synonyms) are recorded, since
  they are localized words users say: utterances with intent null, key ``types/<Type>``,
  flag ``slot-value`` (plus ``synonym`` for synonyms).
* ``interactionModel.prompts[].variations`` → responses, key ``prompts/<id>``; SSML
  variations carry the flag ``ssml``.

The file has no locale of its own: the engine takes it from the path or ``--locale``. Line
numbers are exact: strings are decoded with their offsets (a pure-Python JSON scanner, fine for
interaction models, which are at most a few megabytes).
"""

from __future__ import annotations

import bisect
import json
import json.decoder
import json.scanner
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl

from locale_guard.readers.base import InputError, Reader, ReadRequest, read_text
from locale_guard.records import records_from_rows

_TOP_LEVEL = re.compile(rb'^\s*\{\s*"interactionModel"\s*:\s*\{')
_SLOT_REF = re.compile(r"\{([^{}\s]+)\}")


class _Located(str):
    """A JSON string value that remembers the character offset of its opening quote."""

    offset: int


def _parse_located(path: Path, text: str) -> Any:
    """``json.loads`` whose string values are :class:`_Located`, with line-numbered errors."""
    decoder = json.JSONDecoder()

    def parse_string(s: str, end: int, strict: bool = True) -> tuple[str, int]:
        value, new_end = json.decoder.scanstring(s, end, strict)
        located = _Located(value)
        located.offset = end - 1
        return located, new_end

    decoder.parse_string = parse_string  # type: ignore[attr-defined]
    decoder.scan_once = json.scanner.py_make_scanner(decoder)  # type: ignore[attr-defined]
    try:
        return decoder.decode(text)
    except json.JSONDecodeError as exc:
        raise InputError(path, f"invalid JSON: {exc.msg} (column {exc.colno})", line=exc.lineno) from None
    except RecursionError:
        raise InputError(path, "JSON nested too deeply to be an interaction model") from None


class _Lines:
    """Line numbers of character offsets, by binary search over the newline positions."""

    def __init__(self, text: str) -> None:
        self.newlines = [m.start() for m in re.finditer("\n", text)]

    def of(self, value: Any) -> int | None:
        offset = getattr(value, "offset", None)
        return None if offset is None else bisect.bisect_right(self.newlines, offset) + 1


def sniff(path: Path, head: bytes) -> bool:
    """A top-level ``interactionModel`` object that holds a ``languageModel``.

    A small file (all of it in ``head``) is parsed and checked exactly; of a larger one, the
    first key must be ``interactionModel``, as every ASK tool writes it.
    """
    head = head.lstrip(b"\xef\xbb\xbf")
    try:
        data = json.loads(head)
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):
        return bool(_TOP_LEVEL.match(head)) and b'"languageModel"' in head
    model = data.get("interactionModel") if isinstance(data, dict) else None
    return isinstance(model, dict) and isinstance(model.get("languageModel"), dict)


def _list(path: Path, value: Any, where: str, line: int | None) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InputError(path, f"{where} must be a list", line=line)
    return value


def _name(path: Path, obj: Any, where: str, line: int | None) -> str:
    if not isinstance(obj, dict) or not isinstance(obj.get("name"), str) or not obj["name"]:
        raise InputError(path, f"{where} needs a \"name\"", line=line)
    return obj["name"]


def _string(path: Path, value: Any, where: str, line: int | None) -> str:
    if not isinstance(value, str):
        raise InputError(path, f"{where} must be a string, not {type(value).__name__}", line=line)
    return value


def _slot_spans(sample: str, slot_types: dict[str, str | None]) -> list[dict[str, Any]]:
    return [
        {"type": slot_types.get(m.group(1)), "value": None, "start": m.start(), "end": m.end()}
        for m in _SLOT_REF.finditer(sample)
    ]


def _intent_rows(path: Path, intent: Any, lines: _Lines, near: int | None) -> Iterator[dict[str, Any]]:
    name = _name(path, intent, "every intent", near)
    here = lines.of(name)
    slots = _list(path, intent.get("slots"), f"slots of intent {name}", here)
    slot_types: dict[str, str | None] = {}
    for slot in slots:
        slot_name = _name(path, slot, f"a slot of intent {name}", here)
        slot_type = slot.get("type")
        slot_types[str(slot_name)] = str(slot_type) if isinstance(slot_type, str) else None
    samples = _list(path, intent.get("samples"), f"samples of intent {name}", here)
    for i, sample in enumerate(samples):
        text = _string(path, sample, f"a sample of intent {name}", here)
        yield {
            "key": f"intents/{name}", "variant": i, "intent": str(name), "text": str(text),
            "line": lines.of(sample) or here, "slots": _slot_spans(text, slot_types),
        }
    for slot in slots:
        slot_name = slot["name"]
        slot_samples = _list(path, slot.get("samples"), f"samples of slot {slot_name}", lines.of(slot_name))
        for i, sample in enumerate(slot_samples):
            text = _string(path, sample, f"a sample of slot {slot_name}", lines.of(slot_name))
            yield {
                "key": f"intents/{name}/slots/{slot_name}", "variant": i, "intent": str(name),
                "text": str(text), "line": lines.of(sample) or lines.of(slot_name),
                "slots": _slot_spans(text, slot_types), "flags": ["slot-sample"],
            }


def _type_rows(path: Path, slot_type: Any, lines: _Lines) -> Iterator[dict[str, Any]]:
    name = _name(path, slot_type, "every slot type", None)
    variant = 0
    for value in _list(path, slot_type.get("values"), f"values of slot type {name}", lines.of(name)):
        words = value.get("name") if isinstance(value, dict) else None
        if not isinstance(words, dict) or not isinstance(words.get("value"), str):
            raise InputError(path, f"a value of slot type {name} needs name.value", line=lines.of(name))
        spoken = [(words["value"], ["slot-value"])]
        for synonym in _list(path, words.get("synonyms"), f"synonyms of {words['value']}", lines.of(words["value"])):
            spoken.append((_string(path, synonym, "a synonym", lines.of(words["value"])), ["slot-value", "synonym"]))
        for text, flags in spoken:
            yield {
                "key": f"types/{name}", "variant": variant, "text": str(text),
                "line": lines.of(text), "flags": flags, "slots": [],
            }
            variant += 1


def _prompt_rows(path: Path, prompt: Any, lines: _Lines) -> Iterator[dict[str, Any]]:
    if not isinstance(prompt, dict) or not isinstance(prompt.get("id"), str):
        raise InputError(path, 'every prompt needs an "id"')
    pid = prompt["id"]
    for i, variation in enumerate(_list(path, prompt.get("variations"), f"variations of prompt {pid}", lines.of(pid))):
        value = variation.get("value") if isinstance(variation, dict) else None
        text = _string(path, value, f"a variation of prompt {pid}", lines.of(pid))
        kind = variation.get("type")
        yield {
            "key": f"prompts/{pid}", "variant": i, "text": str(text), "kind": "response",
            "line": lines.of(text), "flags": ["ssml"] if kind == "SSML" else [],
        }


def read(request: ReadRequest) -> pl.DataFrame:
    path = request.path
    text = read_text(path, request.max_bytes)
    data = _parse_located(path, text)
    lines = _Lines(text)
    model = data.get("interactionModel") if isinstance(data, dict) else None
    language = model.get("languageModel") if isinstance(model, dict) else None
    if not isinstance(language, dict):
        raise InputError(path, "not an Alexa interaction model: no interactionModel.languageModel object")
    rows: list[dict[str, Any]] = []
    invocation = language.get("invocationName")
    if isinstance(invocation, str) and invocation.strip():
        rows.append({
            "key": "invocationName", "variant": 0, "text": str(invocation),
            "line": lines.of(invocation), "flags": ["invocation"], "slots": [],
        })
    for intent in _list(path, language.get("intents"), "languageModel.intents", None):
        rows.extend(_intent_rows(path, intent, lines, None))
    for slot_type in _list(path, language.get("types"), "languageModel.types", None):
        rows.extend(_type_rows(path, slot_type, lines))
    for prompt in _list(path, model.get("prompts"), "interactionModel.prompts", None):
        rows.extend(_prompt_rows(path, prompt, lines))
    return records_from_rows(rows, path=str(path), locale=request.locale, kind="utterance")


READER = Reader(
    name="alexa",
    extensions=(".json",),
    read=read,
    sniff=sniff,
    priority=10,
    description="Alexa skill interaction models (intents, samples, slot types, prompts)",
)
