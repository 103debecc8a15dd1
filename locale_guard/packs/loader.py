"""Finding, reading and checking pack files, and resolving inheritance along locale fallbacks.

Pack folders (*roots*) are laid out like spaCy's ``lang/<code>/``: ``<root>/<tag>/<anything>.yaml``
where ``<tag>`` is ``und`` (every language), a language (``de``) or a locale (``de-AT``). Roots
are, in order: the ``rules/`` folder shipped with locale-guard, the config's ``rule-paths`` and
the folders in ``LOCALE_GUARD_RULES_PATH``. A later root can override or disable what an
earlier one declares, so a team can tune the shipped rules without forking them.

For a record in ``de-AT`` the effective rules of a check are, from general to specific, those
of ``und``, then ``de``, then ``de-AT`` (the locale's fallback chain from its profile); a more
specific pack re-declares an id to override it, lists ids under ``disable`` to drop them, or
says ``inherit: false`` to start from nothing. ``extends: [de-CH]`` adds another locale's
rules as a parent, for locales whose fallback chain does not pass through the one they follow.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from locale_guard.findings import CHECK_NAMES
from locale_guard.packs.model import (
    COMPOUNDING_LANGUAGES,
    KIND_FIELDS,
    EffectiveRule,
    Pack,
    PackProblem,
    PackRule,
    Term,
)
from locale_guard.packs.regexes import PatternError, compile_pattern
from locale_guard.packs.schema import schema_problems
from locale_guard.packs.tokenpatterns import pattern_problem
from locale_guard.packs.yamlio import load_yaml_file
from locale_guard.readers.base import InputError
from locale_guard.tags import LocaleTagError, normalise_tag

PACK_SUFFIXES = (".yaml", ".yml")
ENV_RULES_PATH = "LOCALE_GUARD_RULES_PATH"
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_MESSAGE_FIELDS = {"match", "suggestion"}


class PackError(InputError):
    """Packs that cannot be used; ``problems`` lists every reason, one line each."""

    def __init__(self, problems: Sequence[PackProblem]) -> None:
        self.problems = list(problems)
        first = self.problems[0]
        more = f" (and {len(self.problems) - 1} more problem(s); run 'locale-guard rules validate')" if len(self.problems) > 1 else ""
        super().__init__(first.path, f"{'rule ' + repr(first.rule) + ': ' if first.rule else ''}{first.message}{more}", line=first.line)


# ------------------------------------------------------------------------------------ roots


def builtin_root() -> Path:
    """The ``rules/`` folder next to the package (a source checkout or an editable install)."""
    import locale_guard

    return Path(locale_guard.__file__).resolve().parent.parent / "rules"


def pack_roots(config: Any = None, extra: Iterable[Path] = ()) -> tuple[Path, ...]:
    """Every pack folder in override order: built-in, config ``rule-paths``, environment."""
    roots: list[Path] = []
    builtin = builtin_root()
    if builtin.is_dir():
        roots.append(builtin)
    for path in getattr(config, "rule_paths", ()) or ():
        roots.append(Path(path))
    for part in os.environ.get(ENV_RULES_PATH, "").split(os.pathsep):
        if part.strip():
            roots.append(Path(part.strip()))
    roots.extend(Path(p) for p in extra)
    seen: dict[Path, None] = {}
    for root in roots:
        seen.setdefault(root.resolve() if root.exists() else root, None)
    return tuple(seen)


def canonical_tag(text: str) -> str | None:
    """The canonical spelling of a folder or field tag, or None if it is not a tag."""
    if text in ("und", "root"):
        return "und"
    try:
        return normalise_tag(text).tag
    except LocaleTagError:
        return None


def pack_files(root: Path) -> list[tuple[str, Path]]:
    """``(tag, file)`` for every pack file in a root, sorted for stable override order."""
    found: list[tuple[str, Path]] = []
    if not root.is_dir():
        return found
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))):
        tag = canonical_tag(folder.name)
        if tag is None:
            continue
        for path in sorted(folder.iterdir()):
            if path.is_file() and path.suffix in PACK_SUFFIXES:
                found.append((tag, path))
    return found


# ------------------------------------------------------------------------------------ parsing


#: longest lexicon term accepted. Terms become paths in an Aho-Corasick trie, which pyahocorasick
#: frees recursively: a term of a million characters crashes the process (a segfault, no error)
MAX_TERM_CHARS = 1_000


def _full_id(rule_id: str, check: str) -> str:
    return rule_id if "/" in rule_id else f"{check}/{rule_id}"


def _terms(raw: Sequence[Any], *, lemma: bool, compound: bool) -> tuple[Term, ...]:
    terms: list[Term] = []
    for item in raw:
        if isinstance(item, str):
            terms.append(Term(item, lemma=lemma, compound=compound))
        else:
            terms.append(
                Term(
                    item["term"],
                    lemma=item.get("lemma", lemma),
                    compound=item.get("compound", compound),
                    category=item.get("category"),
                    severity=item.get("severity"),
                    suggestion=item.get("suggestion"),
                )
            )
    return tuple(terms)


def _rule_problems(rule: dict[str, Any], check: str, path: Path, label: str, line: int | None) -> list[PackProblem]:
    """Semantic checks of one rule that passed the schema."""
    problems: list[PackProblem] = []

    def add(message: str) -> None:
        problems.append(PackProblem(path, message, rule=label, line=line))

    kind = rule["kind"]
    for name, fields in KIND_FIELDS.items():
        if name == kind:
            continue
        for field_name in sorted(fields - KIND_FIELDS[kind]):
            if field_name in rule:
                add(f"'{field_name}' is not used by {kind} rules (it belongs to {name} rules)")
    rule_id = rule["id"]
    if "/" in rule_id and rule_id.split("/", 1)[0] != check:
        add(f"id '{rule_id}' names check '{rule_id.split('/', 1)[0]}' but the pack is for '{check}'")
    for placeholder in _PLACEHOLDER.findall(rule["message"]):
        if placeholder not in _MESSAGE_FIELDS:
            add(f"message uses {{{placeholder}}}; the placeholders are {{match}} and {{suggestion}}")
    if "{suggestion}" in rule["message"] and kind not in ("substitution", "lexicon"):
        add("message uses {suggestion} but only lexicon and substitution rules have suggestions")
    if kind == "pattern":
        try:
            compile_pattern(rule["pattern"], bool(rule.get("case-sensitive", False)))
        except PatternError as exc:
            add(f"'pattern': {exc}")
    if kind == "token-pattern":
        reason = pattern_problem(rule["patterns"])
        if reason:
            add(f"'patterns': {reason}")
    words = [t if isinstance(t, str) else t["term"] for t in rule.get("terms", [])] + list(rule.get("replace", {}))
    blank = [i for i, w in enumerate(words) if not w.strip()]
    if blank:
        add(f"{len(blank)} term(s) are blank (only spaces); remove them")
    too_long = [w for w in words if len(w) > MAX_TERM_CHARS]
    if too_long:
        add(
            f"{len(too_long)} term(s) longer than {MAX_TERM_CHARS} characters (the first has "
            f"{len(too_long[0]):,}); a lexicon term is a word or phrase, use a pattern rule instead"
        )
    for tag in rule.get("locales", []):
        if canonical_tag(tag) is None:
            add(f"'locales': '{tag}' is not a locale tag")
    return problems


def parse_pack(data: Any, path: Path, folder_tag: str | None = None, root: Path | None = None) -> tuple[Pack | None, list[PackProblem]]:
    """Validate a loaded document and build the :class:`Pack`, or say everything wrong with it."""
    found = schema_problems(data, path)
    problems = [p for _, p in found]
    if any(index is None for index, _ in found):
        return None, problems  # the pack itself is malformed: rules cannot be read reliably
    broken_rules = {index for index, _ in found}
    line = getattr(data, "line", None)
    tag = canonical_tag(data["language"])
    if tag is None:
        return None, [PackProblem(path, f"'language' is not a locale tag: '{data['language']}'", line=line)]
    if folder_tag is not None and folder_tag != tag:
        problems.append(
            PackProblem(path, f"'language' is '{data['language']}' but the file is in the folder for '{folder_tag}'", line=line)
        )
    check = data["check"]
    stem = path.stem
    if stem in CHECK_NAMES and stem != check:
        problems.append(PackProblem(path, f"'check' is '{check}' but the file is named {path.name}", line=line))
    extends_raw = data.get("extends", [])
    extends: list[str] = []
    for item in [extends_raw] if isinstance(extends_raw, str) else extends_raw:
        canonical = canonical_tag(item)
        if canonical is None:
            problems.append(PackProblem(path, f"'extends': '{item}' is not a locale tag", line=line))
        elif canonical == tag:
            problems.append(PackProblem(path, "'extends' names the pack's own locale", line=line))
        else:
            extends.append(canonical)
    pack_allow = tuple(data.get("allow", []))
    language = tag.split("-", 1)[0]
    compound_default = language in COMPOUNDING_LANGUAGES
    rules: list[PackRule] = []
    seen: dict[str, int | None] = {}
    for index, raw in enumerate(data["rules"]):
        if index in broken_rules:
            continue
        rule_line = getattr(raw, "line", None)
        label = raw["id"]
        rule_problems = _rule_problems(raw, check, path, label, rule_line)
        full = _full_id(raw["id"], check)
        if full in seen:
            rule_problems.append(
                PackProblem(path, f"duplicate id (first declared on line {seen[full]})", rule=label, line=rule_line)
            )
        seen.setdefault(full, rule_line)
        problems.extend(rule_problems)
        if rule_problems:
            continue
        kind = raw["kind"]
        if kind == "lexicon":
            terms = _terms(raw["terms"], lemma=raw.get("lemma", True), compound=raw.get("compound", compound_default))
        elif kind == "substitution":
            terms = tuple(
                Term(bad, lemma=raw.get("lemma", False), compound=raw.get("compound", False), suggestion=good)
                for bad, good in raw["replace"].items()
            )
        else:
            terms = ()
        examples = raw["examples"]
        rules.append(
            PackRule(
                id=full,
                kind=kind,
                severity=raw["severity"],
                message=raw["message"],
                check=check,
                source=path,
                pack_tag=tag,
                line=rule_line,
                scope=raw.get("scope", "both"),
                terms=terms,
                pattern=raw.get("pattern"),
                case_sensitive=bool(raw.get("case-sensitive", False)),
                patterns=tuple(tuple(dict(spec) for spec in p) for p in raw.get("patterns", [])),
                allow=tuple(dict.fromkeys((*pack_allow, *raw.get("allow", [])))),
                examples_match=tuple(examples.get("match", [])),
                examples_no_match=tuple(examples.get("no-match", [])),
                locales=tuple(canonical_tag(t) or t for t in raw.get("locales", [])),
                tags=tuple(raw.get("tags", [])),
                category=raw.get("category"),
                description=raw.get("description", ""),
                options=dict(raw.get("options", {})),
            )
        )
    if problems:
        return None, sorted(problems, key=lambda p: p.line or 0)
    pack = Pack(
        path=path,
        tag=tag,
        check=check,
        version=data["version"],
        rules=tuple(rules),
        inherit=data.get("inherit", True),
        extends=tuple(extends),
        disable=tuple(_full_id(d, check) for d in data.get("disable", [])),
        allow=pack_allow,
        description=data.get("description", ""),
        root=root,
        options=dict(data.get("options", {})),
    )
    return pack, []


@lru_cache(maxsize=512)
def _load_cached(path: Path, folder_tag: str | None, root: Path | None, stamp: tuple[int, int]) -> tuple[Pack | None, tuple[PackProblem, ...]]:
    try:
        data = load_yaml_file(path)
    except InputError as exc:
        return None, (PackProblem(path, exc.message, line=exc.line),)
    pack, problems = parse_pack(data, path, folder_tag, root)
    return pack, tuple(problems)


def load_pack(path: Path, folder_tag: str | None = None, root: Path | None = None) -> tuple[Pack | None, list[PackProblem]]:
    """Read one pack file (cached until the file changes)."""
    try:
        stat = path.stat()
    except OSError as exc:
        return None, [PackProblem(path, f"cannot read: {exc.strerror or exc}")]
    pack, problems = _load_cached(path, folder_tag, root, (stat.st_mtime_ns, stat.st_size))
    return pack, list(problems)


# ------------------------------------------------------------------------------- inheritance


def _parent_tag(tag: str) -> str | None:
    """The next tag in ``tag``'s fallback chain (``de-AT`` → ``de`` → ``und``)."""
    if tag == "und":
        return None
    try:
        from locale_guard.profiles import load_profile

        chain = tuple(load_profile(tag).fallback)
    except Exception:  # a tag Babel does not know still falls back by its subtags
        chain = ()
    if tag in chain and chain.index(tag) + 1 < len(chain):
        return chain[chain.index(tag) + 1]
    parts = tag.split("-")
    return "-".join(parts[:-1]) if len(parts) > 1 else "und"


def fallback_chain(locale: str) -> tuple[str, ...]:
    """``locale`` and every tag it falls back to, most specific first, ending in ``und``."""
    chain = [locale]
    while (parent := _parent_tag(chain[-1])) is not None and parent not in chain:
        chain.append(parent)
    if chain[-1] != "und":
        chain.append("und")
    return tuple(chain)


@dataclass
class PackSet:
    """All packs of some roots, loaded once; answers "which rules apply to this locale"."""

    roots: tuple[Path, ...]
    packs: list[Pack] = field(default_factory=list)
    problems: list[PackProblem] = field(default_factory=list)
    _effective: dict[tuple[str, str], list[EffectiveRule]] = field(default_factory=dict)

    @classmethod
    def load(cls, roots: Sequence[Path]) -> PackSet:
        found = cls(tuple(roots))
        for root in roots:
            if not root.exists():
                found.problems.append(PackProblem(root, "rule pack folder does not exist"))
                continue
            for tag, path in pack_files(root):
                pack, problems = load_pack(path, tag, root)
                found.problems.extend(problems)
                if pack is not None:
                    found.packs.append(pack)
        return found

    def packs_for(self, tag: str, check: str) -> list[Pack]:
        return [p for p in self.packs if p.tag == tag and p.check == check]

    def checks(self) -> list[str]:
        return sorted({p.check for p in self.packs})

    def effective(self, locale: str, check: str) -> list[EffectiveRule]:
        """The rules of ``check`` for ``locale`` after inheritance, in declaration order."""
        key = (locale, check)
        if key not in self._effective:
            self._effective[key] = list(self._resolve(locale, check, ()).values())
        return self._effective[key]

    def _resolve(self, tag: str, check: str, seen: tuple[str, ...]) -> dict[str, EffectiveRule]:
        if tag in seen:
            return {}
        seen = (*seen, tag)
        own = self.packs_for(tag, check)
        rules: dict[str, EffectiveRule] = {}
        parent = _parent_tag(tag)
        if parent is not None and all(p.inherit for p in own):
            rules.update(self._resolve(parent, check, seen))
        for pack in own:
            for other in pack.extends:
                rules.update(self._resolve(other, check, seen))
        for pack in own:
            for rule_id in pack.disable:
                rules.pop(rule_id, None)
            for rule in pack.rules:
                rules.pop(rule.id, None)  # re-declared: the override takes the later position
                rules[rule.id] = EffectiveRule(rule, tag)
        # a pack's allowlist also protects words from the rules it inherits
        extra = tuple(dict.fromkeys(a for p in own for a in p.allow))
        if extra:
            rules = {
                k: EffectiveRule(replace(v.rule, allow=tuple(dict.fromkeys((*v.rule.allow, *extra)))), v.via)
                for k, v in rules.items()
            }
        return rules

    def disable_problems(self) -> list[PackProblem]:
        """``disable`` entries that name no rule the pack could inherit (typos)."""
        problems: list[PackProblem] = []
        for pack in self.packs:
            if not pack.disable:
                continue
            inherited: set[str] = set()
            parent = _parent_tag(pack.tag)
            if parent is not None:
                inherited |= {e.rule.id for e in self._resolve(parent, pack.check, (pack.tag,)).values()}
            for other in pack.extends:
                inherited |= {e.rule.id for e in self._resolve(other, pack.check, (pack.tag,)).values()}
            for same in self.packs_for(pack.tag, pack.check):
                if same is not pack:
                    inherited |= {r.id for r in same.rules}
            for rule_id in pack.disable:
                if rule_id not in inherited:
                    problems.append(
                        PackProblem(pack.path, f"'disable' names '{rule_id}', which no inherited pack declares")
                    )
        return problems
