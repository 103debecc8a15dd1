"""What the register is *not* read from: placeholders, markup, and speech quoted in a response.

A response that quotes someone (``Ihre Nachricht an Anna lautet: „Kannst du mich abholen?“``)
or tells the user what to say (``Sag einfach „Stopp“``) contains the quoted person's register,
not the assistant's. Template syntax (``{% if %}``, ``{{ slots.name }}``, ``%s``) contains no
address at all but does contain words (``if``, ``else``) that could be misread.

Both are replaced by :data:`FILLER` characters *of the same length*, so every character offset
the markers carry stays an offset into the original string, and spans in findings point at the
real text. The filler is a letter, so tokenizers cut it like a word (and split off the full
stop after ``{location}.``) and sentence positions count it as one, because a placeholder or a
quotation is one: in ``{day} espera {condition}`` the verb is not the first word. No rule
matches a run of ``x``.
Strings without any quote or placeholder character are returned as they are, so the token
cache shared with other checks is hit for them.
"""

from __future__ import annotations

import re

import polars as pl

from locale_guard.placeholders_syntax import placeholder_spans

#: Quotation marks that open and close quoted speech, as (opening, closing) pairs. Straight and
#: curly single quotes are left out: ``’`` and ``'`` are also apostrophes (``it’s``, ``l'app``).
QUOTE_PAIRS: tuple[tuple[str, str], ...] = (
    ("„", "“"),  # German, Czech, Polish, Romanian, Hungarian (opening low, closing high)
    ("„", "”"),  # Polish, Romanian, Hungarian, Greek variants
    ("“", "”"),  # English-style curly quotes, also used in it, es, pt, nl, tr
    ("«", "»"),  # French, Spanish, Italian, Russian, Ukrainian, Greek, Norwegian
    ("»", "«"),  # German, Danish, Swedish book style
    ("»", "»"),  # Swedish, Finnish
    ("”", "”"),  # Swedish, Finnish
    ("‹", "›"),
    ("「", "」"),  # Japanese
    ("『", "』"),
    ('"', '"'),
)

#: what masked characters become
FILLER = "x"

_QUOTED = re.compile(
    "|".join(f"{re.escape(o)}[^{re.escape(c)}{re.escape(o)}\\n]{{1,400}}{re.escape(c)}" for o, c in QUOTE_PAIRS)
)
_SENTENCE_END = frozenset(".!?…。！？")
_PRESCREEN = "[" + re.escape("".join(sorted({ch for pair in QUOTE_PAIRS for ch in pair}))) + "{}%$<]"


def mask_text(text: str) -> str:
    """``text`` with placeholders, markup and the inside of quoted speech replaced by :data:`FILLER`."""
    chars = list(text)
    for start, end in placeholder_spans(text):
        chars[start:end] = FILLER * (end - start)
    masked = "".join(chars)
    # quotes are looked for after placeholders are gone: {{ "x" }} is syntax, not speech
    for match in _QUOTED.finditer(masked):
        inner_start, inner_end = match.start() + 1, match.end() - 1
        # a quotation that ends its own sentence («Vieni stasera?» Vuole…) still ends it here
        while inner_end > inner_start and masked[inner_end - 1] in _SENTENCE_END:
            inner_end -= 1
        chars[inner_start:inner_end] = FILLER * (inner_end - inner_start)
    return "".join(chars)


def masked_texts(texts: pl.Series) -> pl.Series:
    """:func:`mask_text` over a column, once per distinct string that has anything to mask."""
    texts = texts.fill_null("")
    candidates = texts.filter(texts.str.contains(_PRESCREEN)).unique()
    if candidates.len() == 0:
        return texts
    mapping = pl.DataFrame(
        {"_k": candidates, "_v": [mask_text(t) for t in candidates.to_list()]},
        schema={"_k": pl.String, "_v": pl.String},
    )
    joined = pl.DataFrame({"_k": texts}).join(mapping, on="_k", how="left", maintain_order="left")
    return joined.select(pl.coalesce("_v", "_k"))["_v"].alias(texts.name)
