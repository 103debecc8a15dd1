"""The training-data and variant rules of the ``coverage`` check: ids, severities, meaning.

Registered with the catalog rules in :mod:`locale_guard.checks.coverage`, so ``locale-guard
check`` reports them under one ``coverage`` check and ``--select coverage/leak`` works.
"""

from __future__ import annotations

from locale_guard.checks import Rule

TRAINING_RULES: tuple[Rule, ...] = (
    Rule(
        "coverage/missing-intent",
        "error",
        "an intent of the pivot locale has no training example in this locale",
        "The assistant cannot recognise requests for it in this language at all.",
    ),
    Rule(
        "coverage/missing-slot",
        "warning",
        "a slot type the pivot annotates for an intent is never annotated for it in this locale",
        "The model will not learn to fill that slot for that intent in this language. "
        "[checks.coverage] missing-slot-min sets how often the pivot must use it.",
    ),
    Rule(
        "coverage/thin-intent",
        "warning",
        "an intent with fewer than min-examples examples, or below thin-ratio of the pivot's count",
        "Defaults: min-examples = 10, thin-ratio = 0.8.",
    ),
    Rule(
        "coverage/imbalance",
        "warning",
        "the locale's intent distribution diverges from the pivot's (Jensen–Shannon divergence)",
        "The message names the intents that contribute most; threshold [checks.coverage] "
        "imbalance-threshold (bits, default 0.01).",
    ),
    Rule(
        "coverage/duplicate",
        "warning",
        "the same utterance more than once in one locale, partition and intent",
        "Compared after normalising case, punctuation and spaces; the finding is on the second copy.",
    ),
    Rule(
        "coverage/conflict",
        "warning",
        "the same utterance labelled with two or more intents in one locale",
        "The finding is on the least frequent label, the likeliest mislabel.",
    ),
    Rule(
        "coverage/leak",
        "warning",
        "the same utterance in a training and a test partition",
        "Partitions from [checks.coverage] train-partitions and test-partitions "
        "(defaults [\"train\"] and [\"test\"]); the finding is on the test record.",
    ),
    Rule(
        "coverage/slot-mismatch",
        "error",
        "a slot value not in the utterance, a slot type outside the schema, or malformed brackets",
        "The schema is MASSIVE's for MASSIVE files by default; set [checks.coverage] schema.",
    ),
    Rule(
        "coverage/low-diversity",
        "warning",
        "an intent's distinct-n-gram ratio is far below the pivot's (templated or copy-pasted data)",
        "Compared at equal sample sizes and relative to the locale's usual ratio; threshold "
        "[checks.coverage] diversity-ratio (default 0.5).",
    ),
    Rule(
        "coverage/few-variants",
        "warning",
        "a catalog key has far fewer response variants than in the source locale",
        "Fewer than variant-ratio (default 0.5) of the source's variants, rounded up.",
    ),
)

SEVERITY: dict[str, str] = {rule.id: rule.severity for rule in TRAINING_RULES}
