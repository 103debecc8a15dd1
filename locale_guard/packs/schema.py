"""JSON Schema validation of pack files, with errors a pack author can act on.

jsonschema's own messages (``'fatal' is not one of ['error', 'warning', 'info']`` at
``$.rules[3].severity``) are precise but read like a stack trace. Each error is rewritten here
to name the rule by its id and the field by its YAML name, and unknown fields get a "did you
mean" from the schema's own list of fields.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from locale_guard.packs.model import PackProblem
from locale_guard.packs.yamlio import Mapping

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schemas" / "rulepack.schema.json"

_KIND_NEEDS = {
    "terms": "a lexicon rule lists its terms",
    "pattern": "a pattern rule needs its regular expression",
    "patterns": "a token-pattern rule needs spaCy Matcher patterns",
    "replace": "a substitution rule maps each wrong term to its replacement",
    "examples": "every rule needs examples: {match: [...], no-match: [...]}, which 'rules validate' runs as tests",
}


@lru_cache(maxsize=1)
def rulepack_schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    schema = rulepack_schema()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def _field_name(path: list[Any]) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _shown(value: Any) -> str:
    if isinstance(value, str):
        return repr(value) if len(value) <= 60 else repr(value[:57] + "...")
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null (an empty value)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return str(value)


_TYPE_WORDS = {
    "string": "a string",
    "object": "a mapping",
    "array": "a list",
    "boolean": "true or false",
    "integer": "a whole number",
    "number": "a number",
}


def _schema_properties(schema: dict[str, Any]) -> list[str]:
    return sorted(schema.get("properties", {}))


def _describe(error: ValidationError) -> str:
    path = list(error.absolute_path)
    # inside a rule, name fields relative to the rule
    if len(path) >= 2 and path[0] == "rules" and isinstance(path[1], int):
        path = path[2:]
    field = _field_name(path)
    subject = f"'{field}'" if field else "the pack"
    validator = error.validator
    if validator == "required":
        missing = [name for name in error.validator_value if name not in (error.instance or {})]
        name = missing[0] if missing else str(error.validator_value)
        hint = _KIND_NEEDS.get(name, "")
        where = f" in '{field}'" if field else ""
        return f"missing required field '{name}'{where}" + (f" ({hint})" if hint else "")
    if validator == "additionalProperties":
        known = _schema_properties(error.schema)
        extra = sorted(set(error.instance) - set(known)) if isinstance(error.instance, dict) else []
        parts = []
        for name in extra:
            close = difflib.get_close_matches(str(name), known, n=1, cutoff=0.6)
            parts.append(f"unknown field '{name}'" + (f" (did you mean '{close[0]}'?)" if close else ""))
        where = f" in '{field}'" if field else ""
        return "; ".join(parts) + where + f"; known fields: {', '.join(known)}"
    if validator == "enum":
        options = ", ".join(str(v) for v in error.validator_value)
        return f"{subject} must be one of {options} (got {_shown(error.instance)})"
    if validator == "const":
        return f"{subject} must be {error.validator_value!r}"
    if validator == "type":
        wanted = error.validator_value
        wanted_list = wanted if isinstance(wanted, list) else [wanted]
        words = " or ".join(_TYPE_WORDS.get(w, w) for w in wanted_list)
        hint = ""
        if "string" in wanted_list and isinstance(error.instance, (bool, int, float)):
            hint = "; quote it in YAML ('1.0', 'yes', 'on' and numbers are not strings unquoted)"
        if "string" in wanted_list and error.instance is None:
            hint = "; an empty value is null, not a string"
        return f"{subject} must be {words} (got {_shown(error.instance)}){hint}"
    if validator in ("minLength", "minItems", "minProperties"):
        return f"{subject} must not be empty"
    if validator == "pattern":
        last = path[-1] if path else ""
        if last == "id":
            return (
                f"'id' must be lower-case letters, digits, '.', '_' and '-', optionally "
                f"'<check>/<name>' (got {_shown(error.instance)})"
            )
        if last in ("language", "extends") or field.startswith("extends"):
            return f"{subject} must be a locale tag such as de, de-AT, sr-Latn or und (got {_shown(error.instance)})"
        return f"{subject} does not have the expected form (got {_shown(error.instance)})"
    return f"{subject}: {error.message}"


def _rule_label(data: Any, error: ValidationError) -> tuple[str | None, int | None]:
    """The rule an error is about (its id, or ``#n``) and the line it starts on."""
    path = list(error.absolute_path)
    if len(path) >= 2 and path[0] == "rules" and isinstance(path[1], int):
        rules = data.get("rules") if isinstance(data, dict) else None
        rule = rules[path[1]] if isinstance(rules, list) and path[1] < len(rules) else None
        label = rule.get("id") if isinstance(rule, dict) and isinstance(rule.get("id"), str) else None
        line = getattr(rule, "line", None)
        return label or f"#{path[1] + 1}", line
    return None, getattr(data, "line", None) if isinstance(data, dict) else None


def _leaf_errors(errors: Iterator[ValidationError]) -> Iterator[ValidationError]:
    for error in errors:
        if error.validator in ("allOf", "anyOf", "oneOf", "if", "then") and error.context:
            yield from _leaf_errors(iter(error.context))
        else:
            yield error


def _for_validation(data: dict[str, Any]) -> dict[str, Any]:
    """The document with long all-string term lists cut to one item for the schema.

    A string term is valid when it is a non-empty string, which is checked here directly; the
    schema then sees one item instead of 100,000 (jsonschema spends ~60 µs per item).
    """
    rules = data.get("rules")
    if not isinstance(rules, list):
        return data
    slim_rules: list[Any] = []
    changed = False
    for rule in rules:
        terms = rule.get("terms") if isinstance(rule, dict) else None
        if isinstance(terms, list) and len(terms) > 1 and all(isinstance(t, str) and t for t in terms):
            slim = Mapping(rule)
            slim.line = getattr(rule, "line", None)
            slim["terms"] = terms[:1]
            slim_rules.append(slim)
            changed = True
        else:
            slim_rules.append(rule)
    if not changed:
        return data
    out = Mapping(data)
    out.line = getattr(data, "line", None)
    out["rules"] = slim_rules
    return out


def schema_problems(data: Any, path: Path) -> list[tuple[int | None, PackProblem]]:
    """Every schema violation in ``data`` as one-line problems, in file order.

    Each comes with the index of the rule it is about (None for pack-level problems), so the
    caller can still run semantic checks on the rules that passed.
    """
    if not isinstance(data, dict):
        what = "empty" if data is None else f"{_shown(data)}"
        return [(None, PackProblem(path, f"a rule pack is a YAML mapping with version, language, check and rules (this file is {what})"))]
    problems: list[tuple[int | None, PackProblem]] = []
    seen: set[str] = set()
    errors = sorted(
        _leaf_errors(_validator().iter_errors(_for_validation(data))),
        key=lambda e: [str(p) if not isinstance(p, int) else f"{p:09d}" for p in e.absolute_path],
    )
    for error in errors:
        rule, line = _rule_label(data, error)
        # a nested item's own line is more precise than its rule's
        node = error.instance
        nested_line = getattr(node, "line", None) if isinstance(node, (dict, list)) else None
        problem = PackProblem(path, _describe(error), rule=rule, line=nested_line or line)
        text = problem.describe()
        if text not in seen:
            seen.add(text)
            where = list(error.absolute_path)
            index = where[1] if len(where) >= 2 and where[0] == "rules" and isinstance(where[1], int) else None
            problems.append((index, problem))
    return problems
