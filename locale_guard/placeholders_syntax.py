"""Placeholders and ICU MessageFormat: find them in strings, vectorised where the syntax allows.

Assistant content mixes many placeholder syntaxes: ``{name}`` and ``{0}`` (ICU, .NET, Python),
``{{ slots.name }}`` (Jinja, Mustache), ``%s`` / ``%1$s`` / ``%(name)s`` (printf), ``$name`` /
``${name}`` (shell-like templates), HTML and SSML tags, and ICU plural/select messages whose
case bodies hold translatable *text*. A check that compares a translation with its source, or
that must not look for bad words inside ``{user_name}``, needs them recognised the same way.

Flat syntaxes are matched by one regular expression, :data:`PLACEHOLDER_PATTERN`, written in
the common subset of Rust's ``regex`` (polars) and Python's ``re`` so the vectorised and the
per-string paths agree token for token. Only strings with nested braces (ICU plural/select, or
braces that do not pair up) go through the small recursive parser :func:`parse_message`.

Every token gets a *kind* (the syntax family: ``brace``, ``double-brace``, ``printf``, ...) and a
*key* (what identifies it within the kind: ``{name}`` and ``{name, number}`` are both ``name``;
``%s`` is the first positional printf argument ``1$s``). Two strings carry the same
placeholders when their (kind, key) multisets are equal; order does not matter.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

import polars as pl

#: Jinja/Mustache: ``{{{raw}}}``, ``{{ expr }}``, ``{% statement %}`` and ``{# comment #}``; each may
#: hold braces and span lines: ``{% set names = {"a": "b"} %}``, ``{{ '{0:02d}'.format(m) }}``
_TEMPLATE = r"\{\{\{(?s:.)*?\}\}\}|\{\{(?s:.)*?\}\}|\{%(?s:.)*?%\}|\{#(?s:.)*?#\}"
_BRACE = r"\{[^{}]*\}"
_PRINTF = (
    r"%%|%\{[A-Za-z_]\w*\}"
    r"|%(?:[1-9][0-9]*\$)?(?:\([A-Za-z_][\w.-]*\))?[-+0#]*(?:[0-9]+|\*)?(?:\.(?:[0-9]+|\*))?"
    r"(?:hh|h|ll|l|L|q|j|z|t)?[diouxXeEfFgGaAcsp@]"
)
_DOLLAR = r"\$\{[A-Za-z_][\w.]*\}|\$[A-Za-z_]\w*"
_TAG = r"</?[A-Za-z][\w:.-]*(?:\s[^<>]*)?/?>"

#: One alternation for every flat placeholder syntax; alternatives are tried left to right, so
#: ``{{x}}`` wins over ``{x}``. ``%%`` is matched (and then dropped) so ``100%%d`` is not ``%d``.
PLACEHOLDER_PATTERN = "|".join((_TEMPLATE, _BRACE, _PRINTF, _DOLLAR, _TAG))
PLACEHOLDER_RE = re.compile(PLACEHOLDER_PATTERN)

#: an ICU complex argument ``{count, plural,`` / ``select`` / ``selectordinal``
ICU_COMPLEX_PATTERN = r"\{\s*[^{}\s,]+\s*,\s*(?:plural|selectordinal|select)\s*,"
_FLAT_BRACES = _TEMPLATE + "|" + _BRACE

KINDS = (
    "brace",
    "double-brace",
    "triple-brace",
    "template-tag",
    "template-comment",
    "printf",
    "dollar",
    "tag",
    "icu",
)
#: template logic and comments: recognised (so checks reading words skip them) but not
#: placeholders a translation must keep; languages add ``{% if %}`` branches of their own
LOGIC_KINDS = ("template-tag", "template-comment")
PLURAL_TYPES = ("plural", "selectordinal")
_COMPLEX_TYPES = ("plural", "selectordinal", "select")
_MAX_DEPTH = 40


# ------------------------------------------------------------------------ vectorised helpers


def needs_parse(expr: pl.Expr) -> pl.Expr:
    """True for strings the flat regex cannot tokenise: ICU plural/select or unpaired braces."""
    leftover = expr.str.replace_all(_FLAT_BRACES, "").str.contains(r"[{}]")
    return expr.str.contains(ICU_COMPLEX_PATTERN) | leftover


def may_have_placeholders(expr: pl.Expr) -> pl.Expr:
    """Cheap pre-filter: strings without any of these characters have no placeholder."""
    return expr.str.contains(r"[{}%$<]")


def mask_placeholders(expr: pl.Expr, replacement: str = " ") -> pl.Expr:
    """Replace every flat placeholder with ``replacement`` (for checks that read words).

    ICU plural/select bodies are text, so a check that needs them should use
    :func:`placeholder_spans` on the (few) strings :func:`needs_parse` selects.
    """
    return expr.str.replace_all(PLACEHOLDER_PATTERN, replacement)


def token_kind(raw: pl.Expr) -> pl.Expr:
    """The syntax family of a raw token string (null for ``%%``, which is not a placeholder)."""
    return (
        pl.when(raw.str.starts_with("{{{"))
        .then(pl.lit("triple-brace"))
        .when(raw.str.starts_with("{{"))
        .then(pl.lit("double-brace"))
        .when(raw.str.starts_with("{%"))
        .then(pl.lit("template-tag"))
        .when(raw.str.starts_with("{#"))
        .then(pl.lit("template-comment"))
        .when(raw.str.starts_with("{"))
        .then(pl.lit("brace"))
        .when(raw == "%%")
        .then(pl.lit(None, dtype=pl.String))
        .when(raw.str.starts_with("%"))
        .then(pl.lit("printf"))
        .when(raw.str.starts_with("$"))
        .then(pl.lit("dollar"))
        .when(raw.str.starts_with("<"))
        .then(pl.lit("tag"))
        .otherwise(pl.lit(None, dtype=pl.String))
    )


def token_key(raw: pl.Expr, kind: pl.Expr) -> pl.Expr:
    """What identifies a token within its kind; null for implicit printf positions.

    Whitespace inside ``{{ x }}`` does not matter, a format spec (``{n, number}``,
    ``{x:.2f}``) does not change the argument, and a tag is identified by its name, whether it
    closes and whether it is empty (attribute values such as ``alt`` may be translated).
    """
    inner_template = raw.str.strip_chars("{}").str.replace_all(r"\s+", "")
    inner_stmt = (
        raw.str.strip_prefix("{%")
        .str.strip_suffix("%}")
        .str.strip_chars("-+ \t\r\n")
        .str.replace_all(r"\s+", " ")
    )
    brace_name = raw.str.extract(r"^\{\s*([^,:!}]*?)\s*(?:[,:!][^}]*)?\}$", 1)
    conv = raw.str.extract(r"([A-Za-z@])$", 1)
    printf_key = (
        pl.when(raw.str.starts_with("%{"))
        .then(raw.str.strip_prefix("%"))
        .when(raw.str.contains(r"^%[1-9][0-9]*\$"))
        .then(pl.concat_str([raw.str.extract(r"^%([0-9]+)\$", 1), pl.lit("$"), conv]))
        .when(raw.str.contains(r"^%\("))
        .then(pl.concat_str([pl.lit("("), raw.str.extract(r"^%\(([^)]*)\)", 1), pl.lit(")"), conv]))
        .otherwise(pl.lit(None, dtype=pl.String))
    )
    dollar_key = raw.str.extract(r"^\$\{?([A-Za-z_][\w.]*)\}?$", 1)
    tag_key = pl.concat_str(
        [
            pl.lit("<"),
            pl.when(raw.str.starts_with("</")).then(pl.lit("/")).otherwise(pl.lit("")),
            raw.str.extract(r"^</?([A-Za-z][\w:.-]*)", 1).str.to_lowercase(),
            pl.when(raw.str.ends_with("/>")).then(pl.lit("/")).otherwise(pl.lit("")),
            pl.lit(">"),
        ]
    )
    return (
        pl.when(kind.is_in(["double-brace", "triple-brace"]))
        .then(inner_template)
        .when(kind == "template-tag")
        .then(inner_stmt)
        .when(kind == "template-comment")
        .then(raw)
        .when(kind == "brace")
        .then(brace_name)
        .when(kind == "printf")
        .then(printf_key)
        .when(kind == "dollar")
        .then(dollar_key)
        .when(kind == "tag")
        .then(tag_key)
        .otherwise(pl.lit(None, dtype=pl.String))
    )


# ----------------------------------------------------------------------------- ICU parsing


class IcuSyntaxError(ValueError):
    """A message that is not valid ICU MessageFormat; ``start``/``end`` locate the culprit."""

    def __init__(self, message: str, start: int, end: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.start = start
        self.end = start + 1 if end is None else end


@dataclass(frozen=True)
class Token:
    """One placeholder occurrence. ``raw`` is what classification reads; ``label`` is shown."""

    raw: str
    label: str
    start: int
    end: int
    kind: str | None = None
    key: str | None = None


@dataclass(frozen=True)
class PluralArg:
    """An ICU ``plural``/``selectordinal`` argument and the case selectors it spells out."""

    name: str
    type: str
    selectors: tuple[str, ...]
    start: int
    end: int


@dataclass
class ParsedMessage:
    tokens: list[Token] = field(default_factory=list)
    plurals: list[PluralArg] = field(default_factory=list)
    error: IcuSyntaxError | None = None


class _Parser:
    """Recursive descent over ICU MessageFormat with ICU's default apostrophe rules.

    A case body is a message of its own; its placeholders count once per argument, as many as
    the case that has the most of them (a Polish translation with four cases that each say
    ``{name}`` carries the same placeholder as an English source with two).
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.plurals: list[PluralArg] = []

    # top level and case bodies -----------------------------------------------------------
    def message(self, depth: int, pound: str | None, nested: bool) -> list[Token]:
        if depth > _MAX_DEPTH:
            raise IcuSyntaxError("message nested too deeply", self.pos)
        text = self.text
        tokens: list[Token] = []
        literal_start = self.pos
        while self.pos < len(text):
            ch = text[self.pos]
            if ch in "{}'#":
                if (ch == "#" and pound is None) or (ch == "'" and not self.quotes_syntax(pound is not None)):
                    self.pos += 2 if text.startswith("''", self.pos) else 1
                    continue
                tokens.extend(_flat_tokens(text, literal_start, self.pos))
                if ch == "}":
                    if nested:
                        return tokens
                    raise IcuSyntaxError(f"unexpected '}}' at position {self.pos}", self.pos)
                if ch == "{":
                    tokens.extend(self.argument(depth, pound))
                elif ch == "'":
                    self.quoted(pound is not None)
                else:  # '#' in a plural case: the number itself
                    tokens.append(Token("{" + str(pound) + "}", "#", self.pos, self.pos + 1))
                    self.pos += 1
                literal_start = self.pos
                continue
            self.pos += 1
        tokens.extend(_flat_tokens(text, literal_start, self.pos))
        return tokens

    def quotes_syntax(self, in_plural: bool) -> bool:
        """ICU's default apostrophe mode: only ``'{``, ``'}``, ``'|`` (and ``'#`` in a plural
        case) start quoted text; ``''`` is one apostrophe and ``don't`` stays as written."""
        nxt = self.text[self.pos + 1 : self.pos + 2]
        return nxt in ("{", "}", "|") or (nxt == "#" and in_plural)

    def quoted(self, in_plural: bool) -> None:
        """Skip an apostrophe at ``pos``: a quoted run, a doubled ``''`` or a literal one."""
        text = self.text
        if text.startswith("''", self.pos):
            self.pos += 2
            return
        if self.quotes_syntax(in_plural):
            self.pos += 1
            while self.pos < len(text):
                if text[self.pos] == "'":
                    if text[self.pos + 1 : self.pos + 2] == "'":
                        self.pos += 2
                        continue
                    self.pos += 1
                    return
                self.pos += 1
            return  # ICU quotes to the end of the message when the quote is never closed
        self.pos += 1

    # arguments ---------------------------------------------------------------------------
    def skip_ws(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def expect_more(self, opened: int) -> None:
        if self.pos >= len(self.text):
            raise IcuSyntaxError(f"'{{' at position {opened} is never closed", opened)

    def argument(self, depth: int, pound: str | None) -> list[Token]:
        text = self.text
        start = self.pos
        if start > 0 and text[start - 1] in "$%":  # ${name} and %{name} as the flat regex sees them
            glued = PLACEHOLDER_RE.match(text, start - 1)
            if glued and glued.end() > start:
                self.pos = glued.end()
                return [Token(glued.group(), glued.group(), start - 1, self.pos)]
        template = PLACEHOLDER_RE.match(text, start)
        if template and template.group().startswith(("{{", "{%", "{#")):
            self.pos = template.end()
            return [Token(template.group(), template.group(), start, self.pos)]
        if text.find("}", start) < 0:
            raise IcuSyntaxError(f"'{{' at position {start} is never closed", start)
        self.pos += 1
        self.skip_ws()
        name_start = self.pos
        while self.pos < len(text) and not text[self.pos].isspace() and text[self.pos] not in ",{}":
            self.pos += 1
        name = text[name_start : self.pos]
        self.skip_ws()
        self.expect_more(start)
        if text[self.pos] == "{":
            raise IcuSyntaxError(f"unexpected '{{' inside the argument at position {start}", self.pos)
        if text[self.pos] == "}":
            self.pos += 1
            raw = text[start : self.pos]
            return [Token(raw, raw, start, self.pos)]
        if text[self.pos] != ",":
            raise IcuSyntaxError(
                f"argument '{name}' at position {start}: expected ',' or '}}' after the name", start, self.pos + 1
            )
        self.pos += 1
        self.skip_ws()
        type_start = self.pos
        while self.pos < len(text) and (text[self.pos].isalnum() or text[self.pos] == "_"):
            self.pos += 1
        arg_type = text[type_start : self.pos]
        self.skip_ws()
        self.expect_more(start)
        if not name:
            raise IcuSyntaxError(f"argument at position {start} has no name", start, self.pos)
        if arg_type in _COMPLEX_TYPES:
            return self.complex_argument(start, name, arg_type, depth)
        if not arg_type:
            raise IcuSyntaxError(
                f"argument '{name}' at position {start} has no type after ','", start, self.pos
            )
        self.style(start)
        raw = text[start : self.pos]
        return [Token(raw, raw, start, self.pos)]

    def style(self, opened: int) -> None:
        """Skip ``, style}`` of a simple argument (number/date/time skeletons and patterns)."""
        text = self.text
        level = 0
        while True:
            self.expect_more(opened)
            ch = text[self.pos]
            if ch == "'":
                self.quoted(False)
                continue
            if ch == "{":
                level += 1
            elif ch == "}":
                if level == 0:
                    self.pos += 1
                    return
                level -= 1
            self.pos += 1

    def complex_argument(self, start: int, name: str, arg_type: str, depth: int) -> list[Token]:
        text = self.text
        if text[self.pos] != ",":
            raise IcuSyntaxError(
                f"{arg_type} '{name}' at position {start} needs ', ' and its cases", self.pos
            )
        self.pos += 1
        head_end = self.pos
        self.skip_ws()
        if arg_type == "plural" and text.startswith("offset:", self.pos):
            self.pos += len("offset:")
            self.skip_ws()
            num = re.match(r"[0-9]+", text[self.pos :])
            if not num:
                raise IcuSyntaxError(f"plural '{name}' has 'offset:' without a number", self.pos)
            self.pos += num.end()
        pound = name if arg_type in PLURAL_TYPES else None
        selectors: list[str] = []
        cases: list[list[Token]] = []
        while True:
            self.skip_ws()
            self.expect_more(start)
            if text[self.pos] == "}":
                self.pos += 1
                break
            sel_start = self.pos
            while self.pos < len(text) and not text[self.pos].isspace() and text[self.pos] not in "{}":
                self.pos += 1
            selector = text[sel_start : self.pos]
            if not selector:
                raise IcuSyntaxError(
                    f"{arg_type} '{name}': expected a case like 'other {{…}}' at position {sel_start}",
                    sel_start,
                )
            if selector in selectors:
                raise IcuSyntaxError(
                    f"{arg_type} '{name}' has the case '{selector}' twice", sel_start, self.pos
                )
            if arg_type in PLURAL_TYPES and selector.startswith("=") and not _is_number(selector[1:]):
                raise IcuSyntaxError(f"plural case '{selector}' is not '=' and a number", sel_start, self.pos)
            self.skip_ws()
            self.expect_more(start)
            if text[self.pos] != "{":
                raise IcuSyntaxError(
                    f"{arg_type} '{name}': case '{selector}' must be followed by '{{…}}'", sel_start, self.pos
                )
            body_open = self.pos
            self.pos += 1
            body = self.message(depth + 1, pound, nested=True)
            if self.pos >= len(text):
                raise IcuSyntaxError(f"'{{' at position {body_open} is never closed", body_open)
            self.pos += 1  # the case's closing brace
            selectors.append(selector)
            cases.append(body)
        if not selectors:
            raise IcuSyntaxError(f"{arg_type} '{name}' at position {start} has no cases", start, self.pos)
        if arg_type == "select" and "other" not in selectors:
            raise IcuSyntaxError(f"select '{name}' has no 'other' case", start, self.pos)
        if arg_type in PLURAL_TYPES:
            self.plurals.append(PluralArg(name, arg_type, tuple(selectors), start, self.pos))
        # the head ``{count, plural,`` is the placeholder; the cases are text
        head = Token(
            f"{{{name}, {arg_type}}}",
            f"{{{name}, {arg_type}, …}}",
            start,
            head_end,
            "icu",
            f"{name}, {arg_type}",
        )
        return [head, *_merge_cases(cases)]


def _is_number(text: str) -> bool:
    return re.fullmatch(r"-?[0-9]+(?:\.[0-9]+)?", text) is not None


def _flat_tokens(text: str, start: int, end: int) -> list[Token]:
    """Flat (non-brace) placeholders in a literal run of an ICU message."""
    return [
        Token(m.group(), m.group(), m.start(), m.end())
        for m in PLACEHOLDER_RE.finditer(text, start, end)
        if m.group() != "%%" and not m.group().startswith("{")
    ]


def _merge_cases(cases: list[list[Token]]) -> list[Token]:
    """Per raw token, the occurrences of the case that has the most of them."""
    counts = [Counter(t.raw for t in case) for case in cases]
    best: dict[str, int] = {}
    for i, counter in enumerate(counts):
        for raw, n in counter.items():
            if raw not in best or n > counts[best[raw]][raw]:
                best[raw] = i
    merged = [t for raw, i in best.items() for t in cases[i] if t.raw == raw]
    return sorted(merged, key=lambda t: t.start)


def parse_message(text: str) -> ParsedMessage:
    """Tokenise one string as ICU MessageFormat; a syntax error is returned, not raised."""
    parser = _Parser(text)
    try:
        tokens = parser.message(0, None, nested=False)
    except IcuSyntaxError as exc:
        return ParsedMessage(error=exc)
    except RecursionError:
        return ParsedMessage(error=IcuSyntaxError("message nested too deeply", 0))
    return ParsedMessage(tokens=tokens, plurals=parser.plurals)


def placeholder_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the placeholder *syntax* in ``text`` (not of ICU case text).

    For checks that must skip placeholders when reading words: ``{user}`` and ``%s`` are
    skipped, the words inside ``{count, plural, one {# item} other {# items}}`` are not.
    """
    if not re.search(ICU_COMPLEX_PATTERN, text) and not re.search(r"[{}]", re.sub(_FLAT_BRACES, "", text)):
        return [(m.start(), m.end()) for m in PLACEHOLDER_RE.finditer(text) if m.group() != "%%"]
    parsed = parse_message(text)
    if parsed.error is not None:
        return [(m.start(), m.end()) for m in PLACEHOLDER_RE.finditer(text) if m.group() != "%%"]
    return sorted({(t.start, t.end) for t in parsed.tokens})


# --------------------------------------------------------------------------- tokenise frames

TOKEN_SCHEMA: dict[str, pl.DataType] = {
    "string": pl.String(),
    "ordinal": pl.Int32(),
    "raw": pl.String(),
    "label": pl.String(),
    "kind": pl.String(),
    "key": pl.String(),
    "start": pl.Int32(),
    "end": pl.Int32(),
}
ERROR_SCHEMA: dict[str, pl.DataType] = {
    "string": pl.String(),
    "message": pl.String(),
    "start": pl.Int32(),
    "end": pl.Int32(),
}
PLURAL_SCHEMA: dict[str, pl.DataType] = {
    "string": pl.String(),
    "name": pl.String(),
    "type": pl.String(),
    "selectors": pl.List(pl.String()),
    "start": pl.Int32(),
    "end": pl.Int32(),
}


@dataclass(frozen=True)
class Tokenized:
    """Tokens of a set of strings, plus ICU syntax errors and plural arguments found on the way.

    ``tokens`` has one row per placeholder occurrence, keyed by the string itself, with the
    ``ordinal`` (order within the string) and ``start``/``end`` where the parser knows them
    (null for flat strings: :func:`token_span` recovers them for the few rows that need one).
    """

    tokens: pl.DataFrame
    errors: pl.DataFrame
    plurals: pl.DataFrame


def tokenize(strings: pl.Series) -> Tokenized:
    """Tokenise distinct strings: regex for flat ones (vectorised), the parser for ICU ones."""
    frame = (
        pl.DataFrame({"string": strings.cast(pl.String)})
        .drop_nulls()
        .unique()
        .filter(may_have_placeholders(pl.col("string")))
        .with_columns(needs_parse(pl.col("string")).alias("_parse"))
    )
    flat = (
        frame.filter(~pl.col("_parse"))
        .select("string", pl.col("string").str.extract_all(PLACEHOLDER_PATTERN).alias("raw"))
        .with_columns(pl.int_ranges(pl.col("raw").list.len(), dtype=pl.Int32).alias("ordinal"))
        .explode(["raw", "ordinal"])
        .filter(pl.col("raw").is_not_null())
        .select(
            "string",
            "ordinal",
            "raw",
            pl.col("raw").alias("label"),
            pl.lit(None, dtype=pl.String).alias("kind"),
            pl.lit(None, dtype=pl.String).alias("key"),
            pl.lit(None, dtype=pl.Int32).alias("start"),
            pl.lit(None, dtype=pl.Int32).alias("end"),
        )
    )
    token_rows: list[tuple] = []
    error_rows: list[tuple] = []
    plural_rows: list[tuple] = []
    for text in frame.filter(pl.col("_parse"))["string"].to_list():
        parsed = parse_message(text)
        if parsed.error is not None:
            err = parsed.error
            error_rows.append((text, err.message, err.start, min(err.end, len(text))))
            continue
        for i, t in enumerate(parsed.tokens):
            token_rows.append((text, i, t.raw, t.label, t.kind, t.key, t.start, t.end))
        for p in parsed.plurals:
            plural_rows.append((text, p.name, p.type, list(p.selectors), p.start, p.end))
    parsed_tokens = pl.DataFrame(token_rows, schema=TOKEN_SCHEMA, orient="row")
    tokens = pl.concat([flat.cast(TOKEN_SCHEMA), parsed_tokens], how="vertical")
    kind = pl.coalesce(pl.col("kind"), token_kind(pl.col("raw")))
    tokens = tokens.with_columns(kind.alias("kind")).filter(pl.col("kind").is_not_null())
    tokens = tokens.with_columns(
        pl.coalesce(pl.col("key"), token_key(pl.col("raw"), pl.col("kind"))).alias("key")
    )
    # printf arguments without a position are numbered in order, so ``%s %d`` and a reordered
    # ``%2$d %1$s`` compare equal
    implicit = (pl.col("kind") == "printf") & pl.col("key").is_null()
    tokens = (
        tokens.sort("string", "ordinal")
        .with_columns(implicit.cast(pl.Int32).cum_sum().over("string").alias("_n"))
        .with_columns(
            pl.when(implicit)
            .then(
                pl.concat_str(
                    [pl.col("_n").cast(pl.String), pl.lit("$"), pl.col("raw").str.extract(r"([A-Za-z@])$", 1)]
                )
            )
            .otherwise(pl.col("key"))
            .alias("key")
        )
        .drop("_n")
    )
    return Tokenized(
        tokens=tokens.select(list(TOKEN_SCHEMA)),
        errors=pl.DataFrame(error_rows, schema=ERROR_SCHEMA, orient="row"),
        plurals=pl.DataFrame(plural_rows, schema=PLURAL_SCHEMA, orient="row"),
    )


def token_span(text: str, ordinal: int, raw: str) -> tuple[int, int] | None:
    """Where the ``ordinal``-th flat token of ``text`` is (the regex finds them in order)."""
    for i, m in enumerate(PLACEHOLDER_RE.finditer(text)):
        if i == ordinal:
            if m.group() == raw:
                return m.start(), m.end()
            break
    found = text.find(raw)
    return (found, found + len(raw)) if found >= 0 else None
