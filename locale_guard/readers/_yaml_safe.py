"""Safe YAML: a node tree with line marks, refusing alias bombs and absurd nesting.

``yaml.safe_load`` blocks arbitrary objects but not a "billion laughs": nine anchors that each
alias the previous one nine times are a few hundred bytes that expand to 10⁹ strings as soon as
anyone walks the result. Composing keeps aliases as shared nodes, so we compute, while
composing, how many nodes every node would expand to and refuse a document whose expansion
exceeds its real size by more than a small budget. Nesting depth is limited too, because both
the composer and our walkers recurse.

Events come from libyaml's parser when PyYAML was built with it (ten times faster than the
pure-Python scanner), but composing always runs in Python: ``CSafeLoader`` composes in C and
would skip the checks in :meth:`_GuardedComposer.compose_node`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from locale_guard.readers.base import InputError

#: extra nodes that aliases may add beyond the nodes actually written in the file
ALIAS_EXPANSION_BUDGET = 10_000
#: deeper than any catalog needs, far below Python's recursion limit
MAX_DEPTH = 64

STR_TAG = "tag:yaml.org,2002:str"
NULL_TAG = "tag:yaml.org,2002:null"
MERGE_TAG = "tag:yaml.org,2002:merge"


#: the YAML 1.1/1.2 core tags a plain-data document may carry (implicitly or written out)
_PLAIN_TAGS = frozenset(
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "seq", "map", "merge", "timestamp", "binary",
                 "omap", "pairs", "set", "value")
)


def _plain_tag(tag: str | None) -> bool:
    return tag is None or tag in _PLAIN_TAGS


class _Refused(Exception):
    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


class _GuardedComposer(Composer):
    """A composer that measures alias expansion and depth as it goes."""

    def _init_guard(self) -> None:
        self._expanded: dict[int, int] = {}
        self._written = 0
        self._depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node:  # type: ignore[override]
        event = self.peek_event()
        line = event.start_mark.line + 1 if event.start_mark else None
        if isinstance(event, AliasEvent):
            node = super().compose_node(parent, index)
            if id(node) not in self._expanded:
                raise _Refused("YAML alias refers to itself (recursive anchor)", line)
            return node
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise _Refused(f"YAML nested more than {MAX_DEPTH} levels deep", line)
        try:
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        if not _plain_tag(node.tag):
            # !include, !!python/object and friends: nothing here ever loads files or objects,
            # so a tagged value would silently vanish from the checks; say so instead
            raise _Refused(f"YAML tag '{node.tag}' is not supported: catalogs hold plain values", line)
        self._written += 1
        size = 1
        if isinstance(node, SequenceNode):
            size += sum(self._expanded.get(id(child), 1) for child in node.value)
        elif isinstance(node, MappingNode):
            size += sum(
                self._expanded.get(id(k), 1) + self._expanded.get(id(v), 1) for k, v in node.value
            )
        self._expanded[id(node)] = size
        if size > self._written + ALIAS_EXPANSION_BUDGET:
            raise _Refused(
                f"YAML aliases expand to {size:,} nodes from {self._written:,} written "
                "(an alias bomb?); refusing to read it",
                line,
            )
        return node


try:
    from yaml._yaml import CParser as _Parser

    class _GuardedLoader(_GuardedComposer, yaml.resolver.Resolver, _Parser):  # type: ignore[misc]
        def __init__(self, stream: str) -> None:
            _Parser.__init__(self, stream)
            Composer.__init__(self)
            yaml.resolver.Resolver.__init__(self)
            self._init_guard()

except ImportError:  # PyYAML built without libyaml

    class _GuardedLoader(  # type: ignore[no-redef]
        yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser, _GuardedComposer, yaml.resolver.Resolver
    ):
        def __init__(self, stream: str) -> None:
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
            Composer.__init__(self)
            yaml.resolver.Resolver.__init__(self)
            self._init_guard()


def _yaml_error(path: str | Path, exc: yaml.YAMLError, text: str) -> InputError:
    if isinstance(exc, yaml.reader.ReaderError) and isinstance(exc.character, int):
        found = text.find(chr(exc.character))
        return InputError(
            path,
            f"invalid YAML: character U+{exc.character:04X} is not allowed ({exc.reason})",
            line=text.count("\n", 0, found) + 1 if found >= 0 else None,
        )
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        what = exc.problem or exc.context or "syntax error"
        column = f" (column {mark.column + 1})" if mark else ""
        started = ""
        if exc.context and exc.context_mark and exc.problem_mark and exc.context_mark.line != mark.line:
            started = f", {exc.context} that starts on line {exc.context_mark.line + 1}"
        return InputError(
            path, f"invalid YAML: {what}{column}{started}", line=mark.line + 1 if mark else None
        )
    return InputError(path, f"invalid YAML: {' '.join(str(exc).split())}")


def compose(path: str | Path, text: str) -> Node | None:
    """The document's root node (None for an empty document), or :class:`InputError`."""
    loader = _GuardedLoader(text)
    try:
        return loader.get_single_node()
    except _Refused as exc:
        raise InputError(path, exc.message, line=exc.line) from None
    except yaml.YAMLError as exc:
        raise _yaml_error(path, exc, text) from None
    except RecursionError:
        raise InputError(path, "YAML nested too deeply to read") from None
    finally:
        loader.dispose()


def mapping_pairs(node: MappingNode) -> list[tuple[Node, Node]]:
    """A mapping's key/value pairs with YAML merge keys (``<<: *base``) applied.

    Merged pairs come first so that keys written in the mapping itself win, as YAML says.
    """
    merged: list[tuple[Node, Node]] = []
    own: list[tuple[Node, Node]] = []
    for key, value in node.value:
        if key.tag == MERGE_TAG:
            sources = value.value if isinstance(value, SequenceNode) else [value]
            for source in sources:
                if isinstance(source, MappingNode):
                    merged.extend(mapping_pairs(source))
        else:
            own.append((key, value))
    if not merged:
        return own
    own_keys = {k.value for k, _ in own if isinstance(k, ScalarNode)}
    return [(k, v) for k, v in merged if not (isinstance(k, ScalarNode) and k.value in own_keys)] + own


def safe_load(path: str | Path, text: str) -> Any:
    """Like ``yaml.safe_load`` but with the alias-bomb and depth guards; errors as InputError.

    Aliases stay shared objects after construction, so the result is as small as the file.
    """
    node = compose(path, text)
    if node is None:
        return None
    try:
        return yaml.constructor.SafeConstructor().construct_document(node)
    except yaml.YAMLError as exc:
        raise _yaml_error(path, exc, text) from None
