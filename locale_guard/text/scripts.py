"""The Unicode script of a token, as an ISO 15924 code (``Latn``, ``Cyrl``, ``Jpan``, ...).

Each character's script comes from the Unicode Script property through the ``regex`` module
(``\\p{sc=Xxxx}`` accepts ISO 15924 codes), tried once per distinct character and cached, so a
run over a million tokens touches the Unicode tables only a few thousand times.

A token's script is the script of its letters, ignoring ``Zyyy`` (Common: digits, punctuation)
and ``Zinh`` (Inherited: combining marks). Writing systems that ISO 15924 names as one code
although Unicode splits them get that code: Han + Hiragana/Katakana is ``Jpan``, Hiragana +
Katakana is ``Hrkt``, Hangul + Han is ``Kore``. Any other mix is reported as the codes joined by
``+`` in order of appearance (``Latn+Cyrl``), which is what a homoglyph trick such as a
Cyrillic ``а`` inside a Latin word looks like. Tokens with no letters get ``Zyyy``.
"""

from __future__ import annotations

from functools import lru_cache

import regex

COMMON = "Zyyy"
INHERITED = "Zinh"
UNKNOWN = "Zzzz"

#: ISO 15924 codes of the writing systems Unicode encodes as several scripts.
_COMBINED: dict[frozenset[str], str] = {
    frozenset({"Hani", "Hira"}): "Jpan",
    frozenset({"Hani", "Kana"}): "Jpan",
    frozenset({"Hani", "Hira", "Kana"}): "Jpan",
    frozenset({"Hira", "Kana"}): "Hrkt",
    frozenset({"Hang", "Hani"}): "Kore",
}


@lru_cache(maxsize=1)
def _script_regex() -> regex.Pattern[str]:
    """One alternation with a named group per Unicode script the ``regex`` module knows.

    The list of candidate codes is CLDR's list of ISO 15924 scripts (through Babel), so no
    table is written here; codes that are not Unicode scripts (``Jpan``, ``Zsye``) fail to
    compile and are skipped.
    """
    from babel import Locale

    codes: list[str] = []
    for code in sorted(Locale.parse("en").scripts):
        if len(code) != 4 or not code.isalpha():
            continue
        try:
            regex.compile(rf"\p{{sc={code}}}")
        except regex.error:
            continue
        codes.append(code)
    # the most frequent scripts first: the alternation stops at the first group that matches
    first = ["Latn", "Zyyy", "Zinh", "Cyrl", "Hani", "Hira", "Kana", "Hang", "Arab", "Deva", "Thai", "Grek", "Hebr"]
    ordered = [c for c in first if c in codes] + [c for c in codes if c not in first]
    return regex.compile("|".join(rf"(?P<{c}>\p{{sc={c}}})" for c in ordered))


@lru_cache(maxsize=65_536)
def char_script(ch: str) -> str:
    """ISO 15924 code of one character's Unicode Script property (``Zzzz`` if unassigned)."""
    m = _script_regex().match(ch)
    return m.lastgroup if m and m.lastgroup else UNKNOWN


@lru_cache(maxsize=200_000)
def script_of(token: str) -> str:
    """ISO 15924 code of a token's letters; see the module docstring for mixes."""
    if token.isascii():
        return "Latn" if any(c.isalpha() for c in token) else COMMON
    seen: list[str] = []
    for ch in token:
        code = char_script(ch)
        if code in (COMMON, INHERITED, UNKNOWN) or code in seen:
            continue
        seen.append(code)
    if not seen:
        return COMMON
    if len(seen) == 1:
        return seen[0]
    combined = _COMBINED.get(frozenset(seen))
    return combined or "+".join(seen)
