"""Rule packs: language knowledge as validated YAML data, and the engine that runs it.

A pack is ``rules/<tag>/<check>.yaml``: a versioned list of rules (lexicon, pattern,
token-pattern, substitution) with severities, messages, scopes and examples. Packs inherit
along the locale fallback chain (``de-AT`` → ``de`` → ``und``), can be extended by the user's
own folders, and are validated against ``locale_guard/schemas/rulepack.schema.json`` with
every rule's examples run as tests. rules/README.md is the reference for pack authors.

Checks use :func:`run_pack` (findings) or :func:`match_records` (raw matches).
"""

from __future__ import annotations

from locale_guard.packs.loader import PackError, PackSet, fallback_chain, load_pack, pack_roots
from locale_guard.packs.matching import CompiledRules
from locale_guard.packs.model import EffectiveRule, Pack, PackProblem, PackRule, Term
from locale_guard.packs.runner import effective_rules, match_records, pack_set, run_pack
from locale_guard.packs.validate import ValidationReport, validate

__all__ = [
    "CompiledRules",
    "EffectiveRule",
    "Pack",
    "PackError",
    "PackProblem",
    "PackRule",
    "PackSet",
    "Term",
    "ValidationReport",
    "effective_rules",
    "fallback_chain",
    "load_pack",
    "match_records",
    "pack_roots",
    "pack_set",
    "run_pack",
    "validate",
]
