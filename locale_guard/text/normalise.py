"""Normalisation of words: the caseless form every matcher uses, and undoing common evasions.

:func:`casefold` is the one normal form of a token (``norm`` in the token struct): NFKC folds
full-width letters, ligatures and compatibility characters, casefold goes beyond lower-casing
(German ``ß`` → ``ss``, Greek final sigma), so ``STRASSE``, ``Straße`` and ``ｓｔｒａｓｓｅ``
compare equal. Lexicon terms go through the same function, which is why authors never need to
list case or width variants.

The other helpers undo what people do to slip a word past a filter: ``ｆ*ｃｋ``-style masking
is out of scope (it needs a wildcard lexicon), but accents (``fück``), leetspeak (``sh1t``),
stretched letters (``fuuuuck``) and spacing (``f u c k``, ``f.u.c.k``) are folded here.
:func:`evasion_forms` combines them into the small set of candidate spellings to look up.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import regex

__all__ = [
    "LEET",
    "casefold",
    "collapse_repeats",
    "deleet",
    "evasion_forms",
    "join_spaced_letters",
    "leet_variants",
    "repeat_variants",
    "strip_diacritics",
    "strip_inner_punctuation",
]


@lru_cache(maxsize=200_000)
def casefold(text: str) -> str:
    """NFKC + Unicode casefold (the ``norm`` of a token); cached because tokens repeat a lot."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())


#: Letters that have no Unicode decomposition but that readers see as a base letter plus a mark.
#: This is Unicode knowledge (the characters are "letter with stroke", ligatures), not a word list.
_UNDECOMPOSABLE = str.maketrans(
    {
        "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ħ": "h", "Ħ": "H",
        "ı": "i", "ŧ": "t", "Ŧ": "T", "ƀ": "b", "ɨ": "i", "ʉ": "u", "ð": "d", "Ð": "D",
        "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "TH", "ß": "ss",
    }
)

#: Scripts whose combining marks are decoration an evader can add or remove. In Indic, Thai,
#: Arabic or Hebrew script, marks are vowels and stripping them destroys the word.
_STRIPPABLE_BASE = regex.compile(r"[\p{Latin}\p{Greek}\p{Cyrillic}]")


def strip_diacritics(text: str) -> str:
    """Remove accents from Latin, Greek and Cyrillic letters (``fück`` → ``fuck``, ``é`` → ``e``).

    Marks on letters of other scripts are kept, because there they spell vowels.
    """
    decomposed = unicodedata.normalize("NFD", text.translate(_UNDECOMPOSABLE))
    out: list[str] = []
    keep_marks = True
    for ch in decomposed:
        if unicodedata.category(ch) == "Mn":
            if keep_marks:
                out.append(ch)
            continue
        keep_marks = not _STRIPPABLE_BASE.match(ch)
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


#: Leetspeak: the usual reading of each digit or symbol when it stands inside a word. Where a
#: character is read two ways (``1`` is ``i`` or ``l``), the first is used by :func:`deleet` and
#: both by :func:`leet_variants`.
LEET: dict[str, tuple[str, ...]] = {
    "0": ("o",),
    "1": ("i", "l"),
    "2": ("z",),
    "3": ("e",),
    "4": ("a",),
    "5": ("s",),
    "6": ("g",),
    "7": ("t",),
    "8": ("b",),
    "9": ("g",),
    "@": ("a",),
    "$": ("s",),
    "€": ("e",),
    "£": ("l",),
    "!": ("i",),
    "¡": ("i",),
    "|": ("l", "i"),
    "+": ("t",),
    "(": ("c",),
    "<": ("c",),
    "ß": ("ss", "b"),
}

_HAS_LETTER = regex.compile(r"\p{L}")
_LEET_CHARS = "".join(regex.escape(c) for c in LEET)
#: a "word" that may contain leet characters: letters, digits and leet symbols run together
_LEETY_WORD = regex.compile(rf"[\p{{L}}\p{{M}}\p{{N}}{_LEET_CHARS}]+")
_MAX_VARIANTS = 16


def _deleet_word(word: str) -> str:
    if not _HAS_LETTER.search(word):
        return word  # "2024", "$5": numbers and prices are not leetspeak
    return "".join(LEET[c][0] if c in LEET else c for c in word)


def deleet(text: str) -> str:
    """Read leetspeak inside words as letters (``sh1t`` → ``shit``, ``@ss`` → ``ass``).

    Only runs that contain at least one letter are rewritten, so numbers stay numbers.
    """
    return _LEETY_WORD.sub(lambda m: _deleet_word(m.group()), text)


def leet_variants(word: str, limit: int = _MAX_VARIANTS) -> tuple[str, ...]:
    """Every reading of an ambiguous leet word, at most ``limit`` (``h1ll`` → ``hill``, ``hlll``)."""
    if not _HAS_LETTER.search(word) or not any(c in LEET for c in word):
        return (word,)
    forms = [""]
    for ch in word:
        options = LEET.get(ch, (ch,))
        forms = [f + o for f in forms for o in options][:limit]
    return tuple(dict.fromkeys(forms))


_REPEAT = regex.compile(r"(\p{L})\1{2,}")


def collapse_repeats(text: str, keep: int = 1) -> str:
    """Shorten runs of three or more identical letters to ``keep`` (``fuuuuck`` → ``fuck``)."""
    if keep not in (1, 2):
        raise ValueError("keep must be 1 or 2")
    return _REPEAT.sub(lambda m: m.group(1) * keep, text)


def repeat_variants(text: str) -> tuple[str, ...]:
    """The spellings a stretched word may stand for: runs cut to one letter and to two.

    ``cooool`` may be ``col`` or ``cool``; which one is a word is for the lexicon to say. Words
    without a run of three come back unchanged, alone.
    """
    if not _REPEAT.search(text):
        return (text,)
    return tuple(dict.fromkeys((collapse_repeats(text, 1), collapse_repeats(text, 2))))


#: single letters separated by one kind of separator: "f u c k", "f.u.c.k", "f-u-c-k", "f_u_c_k"
_SPACED = regex.compile(
    r"(?<![\p{L}\p{N}])(\p{L}\p{M}*)(?P<sep>[ \t.\-_*·•~/\\]{1,3})(?:\p{L}\p{M}*(?P=sep)){1,}(\p{L}\p{M}*)(?![\p{L}\p{N}])"
)
_SEPARATORS = regex.compile(r"[ \t.\-_*·•~/\\]+")


def join_spaced_letters(text: str) -> str:
    """Join letters written one by one with a separator (``f u c k`` → ``fuck``).

    At least three single letters in a row with the same separator are needed, so ordinary
    initials (``a. b.``) and one-letter words (``a I``) are left alone.
    """
    return _SPACED.sub(lambda m: _SEPARATORS.sub("", m.group()), text)


_INNER_PUNCT = regex.compile(r"(?<=[\p{L}\p{M}])[.\-_*·•'’`´~^\"|]+(?=\p{L})")


def strip_inner_punctuation(text: str) -> str:
    """Remove punctuation between letters of a word (``sh.it`` → ``shit``, ``a-s-s`` → ``ass``).

    Legitimate hyphenated words lose their hyphen too (``e-mail`` → ``email``): this is a
    view for matching, never text shown to anyone.
    """
    return _INNER_PUNCT.sub("", text)


def evasion_forms(text: str, limit: int = _MAX_VARIANTS) -> tuple[str, ...]:
    """Candidate plain spellings of ``text`` with the usual evasions undone, most literal first.

    The chain is casefold → join spaced letters → strip inner punctuation → strip diacritics →
    leetspeak (each reading) → stretched letters (one and two). The result always starts with
    the casefolded text itself, and holds at most ``limit`` forms.
    """
    base = casefold(text)
    forms = [base]
    joined = strip_inner_punctuation(join_spaced_letters(base))
    plain = strip_diacritics(joined)
    forms.extend((joined, plain))
    words = plain.split(" ")
    leet_sets = [leet_variants(w, limit) for w in words]
    for i in range(max(len(s) for s in leet_sets) if leet_sets else 0):
        forms.append(" ".join(s[min(i, len(s) - 1)] for s in leet_sets))
    for form in list(forms):
        forms.extend(repeat_variants(form))
    return tuple(dict.fromkeys(forms))[:limit]
