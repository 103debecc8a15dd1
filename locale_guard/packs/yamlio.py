"""Reading rule-pack YAML safely and predictably.

Rule packs are written by people and sometimes by generators (a 100,000-term lexicon), and
they are read on every CI run, so the reader must be fast, must not be exploitable and must
not surprise authors:

* events come from libyaml (when PyYAML has it) and the document is built here with an explicit
  stack, so no recursion can overflow (libyaml's own composer crashes the interpreter on a
  100,000-deep ``[[[[...`` file) and nesting is capped at :data:`MAX_DEPTH`;
* aliases (``*name``) are refused: packs never need them and they are how "billion laughs"
  bombs work; duplicate keys are refused instead of silently keeping the last one;
* plain scalars follow YAML 1.2's core schema: only ``true``/``false`` are booleans and dates
  stay strings, so Norwegian (``language: no``) and an example text ``- yes`` are what they
  look like, not ``False`` and ``True``;
* every mapping and list remembers the line it starts on, for error messages.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)

from locale_guard.readers.base import InputError, read_text

#: Packs above this size are refused (a 100k-term lexicon is about 2 MB).
MAX_PACK_BYTES = 32 * 1024 * 1024
MAX_DEPTH = 32

try:
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # PyYAML without libyaml
    _Loader = yaml.SafeLoader


class Mapping(dict):
    """A dict that knows the line it started on (1-based)."""

    line: int | None = None


class Sequence(list):
    """A list that knows the line it started on (1-based)."""

    line: int | None = None


_INT = re.compile(r"[-+]?[0-9]+$")
_INT_OCT = re.compile(r"0o[0-7]+$")
_INT_HEX = re.compile(r"0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_INF = re.compile(r"[-+]?\.(inf|Inf|INF)$")
_NAN = re.compile(r"\.(nan|NaN|NAN)$")

_STR_TAGS = {"tag:yaml.org,2002:str", "!"}


def _plain_scalar(value: str) -> Any:
    """YAML 1.2 core schema resolution of an unquoted scalar."""
    if value in ("", "~", "null", "Null", "NULL"):
        return None
    if value in ("true", "True", "TRUE"):
        return True
    if value in ("false", "False", "FALSE"):
        return False
    if _INT.match(value):
        return int(value)
    if _INT_OCT.match(value):
        return int(value[2:], 8)
    if _INT_HEX.match(value):
        return int(value[2:], 16)
    if _FLOAT.match(value):
        return float(value)
    if _INF.match(value):
        return float("-inf") if value.startswith("-") else float("inf")
    if _NAN.match(value):
        return float("nan")
    return value


def _scalar(event: ScalarEvent, path: Path) -> Any:
    if event.tag in _STR_TAGS or (event.tag is None and not event.implicit[0]):
        return event.value  # quoted, or explicitly a string
    if event.tag is None:
        return _plain_scalar(event.value)
    if event.tag == "tag:yaml.org,2002:int":
        return int(event.value, 0)
    if event.tag == "tag:yaml.org,2002:float":
        return float(event.value)
    if event.tag == "tag:yaml.org,2002:bool":
        return event.value.lower() == "true"
    if event.tag == "tag:yaml.org,2002:null":
        return None
    line = event.start_mark.line + 1 if event.start_mark else None
    raise InputError(path, f"YAML tag {event.tag} is not allowed in rule packs", line=line)


def _line(event: Any) -> int | None:
    return event.start_mark.line + 1 if getattr(event, "start_mark", None) else None


def parse_yaml(text: str, path: Path) -> Any:
    """Build the document from parser events; see the module docstring for what is refused."""
    stack: list[tuple[Any, Any]] = []  # (container, pending mapping key or _NO_KEY)
    root: Any = None
    documents = 0
    no_key = object()

    def add(value: Any, event: Any) -> None:
        nonlocal root
        if not stack:
            root = value
            return
        container, key = stack[-1]
        if isinstance(container, Mapping):
            if key is no_key:
                if isinstance(value, (Mapping, Sequence)):
                    raise InputError(path, "YAML mapping keys must be plain values", line=_line(event))
                if value is None:
                    raise InputError(path, "empty mapping key", line=_line(event))
                if not isinstance(value, str):  # keys are names or words: 2 and true as written
                    value = event.value
                if value in container:
                    raise InputError(path, f"duplicate key '{value}'", line=_line(event))
                stack[-1] = (container, value)
            else:
                container[key] = value
                stack[-1] = (container, no_key)
        else:
            container.append(value)

    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, ScalarEvent):
                add(_scalar(event, path), event)
            elif isinstance(event, (MappingStartEvent, SequenceStartEvent)):
                if len(stack) >= MAX_DEPTH:
                    raise InputError(path, f"YAML nested more than {MAX_DEPTH} levels deep", line=_line(event))
                node: Mapping | Sequence = Mapping() if isinstance(event, MappingStartEvent) else Sequence()
                node.line = _line(event)
                add(node, event)
                stack.append((node, no_key))
            elif isinstance(event, (MappingEndEvent, SequenceEndEvent)):
                stack.pop()
            elif isinstance(event, AliasEvent):
                raise InputError(
                    path,
                    "YAML aliases (*name) are not allowed in rule packs; write the value out",
                    line=_line(event),
                )
            elif isinstance(event, DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise InputError(path, "a rule pack is one YAML document (found a second '---')", line=_line(event))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = exc.problem or exc.context or "syntax error"
        raise InputError(path, f"invalid YAML: {what}", line=mark.line + 1 if mark else None) from None
    except yaml.YAMLError as exc:
        raise InputError(path, f"invalid YAML: {' '.join(str(exc).split())}") from None
    return root


def load_yaml_file(path: Path, max_bytes: int = MAX_PACK_BYTES) -> Any:
    """Read and parse one pack file (size limit, UTF-8/16 with BOM, clear errors)."""
    return parse_yaml(read_text(path, max_bytes), path)
