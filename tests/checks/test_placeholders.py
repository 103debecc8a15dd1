"""The placeholders check and the tokenizer it shares with other checks."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from locale_guard.checks import CheckContext
from locale_guard.checks.placeholders import CHECK, run
from locale_guard.config import Config
from locale_guard.engine import RunOptions
from locale_guard.engine import run as engine_run
from locale_guard.placeholders_syntax import (
    PLACEHOLDER_PATTERN,
    mask_placeholders,
    needs_parse,
    parse_message,
    placeholder_spans,
    tokenize,
)
from locale_guard.records import records_from_rows

FIXTURE = Path(__file__).parent.parent / "data" / "checks" / "assistant"


def records(rows: list[dict[str, Any]]) -> pl.DataFrame:
    """A record frame with the ``catalog`` column the engine adds."""
    full = [{"path": f"app/{r['locale']}.json", "kind": "response", **r} for r in rows]
    frame = records_from_rows(full)
    return frame.with_columns(
        pl.col("path").str.replace(r"app/[^/]+\.json", "app/{locale}.json").alias("catalog")
    )


def check(rows: list[dict[str, Any]], source_locale: str | None = "en-US") -> pl.DataFrame:
    ctx = CheckContext(config=Config(), source_locale=source_locale, files=pl.DataFrame())
    return run(records(rows), ctx)


def pair(source: str, target: str, locale: str = "de-DE", key: str = "k") -> pl.DataFrame:
    return check([{"locale": locale, "key": key, "text": target, "source_text": source}])


def rules(found: pl.DataFrame) -> list[str]:
    return sorted(found["rule"].to_list())


def span_text(found: pl.DataFrame, i: int = 0) -> str:
    row = found.row(i, named=True)
    return row["text"][row["span"]["start"] : row["span"]["end"]]


# ------------------------------------------------------------------- missing, extra, renamed


def test_same_placeholders_in_another_order_is_fine():
    assert pair("It is {temp} degrees in {city}.", "In {city} sind es {temp} Grad.").height == 0


def test_missing_placeholder_names_it_without_a_span():
    found = pair("Hello {name}, you have {count} messages", "Hallo, du hast {count} Nachrichten")
    assert rules(found) == ["placeholders/missing"]
    row = found.row(0, named=True)
    assert row["span"] is None
    assert "{name}" in row["message"]
    assert row["suggestion"] == "add {name}"
    assert row["locale"] == "de-DE" and row["key"] == "k"
    assert row["severity"] == "error"


def test_extra_placeholder_span_points_at_it_in_characters():
    found = pair("Grüße", "Grüße, schön, dich zu sehen {name}")
    assert rules(found) == ["placeholders/extra"]
    assert span_text(found) == "{name}"
    assert found["suggestion"][0] == "remove {name}"


def test_renamed_placeholder_is_reported_once_with_the_source_name():
    found = pair("Hello {name}", "Bonjour {nom}", locale="fr-FR")
    assert rules(found) == ["placeholders/renamed"]
    assert found["suggestion"][0] == "{name}"
    assert span_text(found) == "{nom}"
    assert "{nom}" in found["message"][0] and "{name}" in found["message"][0]


def test_different_kinds_are_missing_and_extra_not_renamed():
    found = pair("Hello {name}", "Hallo %s")
    assert rules(found) == ["placeholders/extra", "placeholders/missing"]


def test_duplicated_placeholder_points_at_the_surplus_occurrence():
    found = pair("{x} items", "{x} Artikel, {x}")
    assert rules(found) == ["placeholders/extra"]
    assert found["span"][0] == {"start": 13, "end": 16}


def test_missing_twice_is_one_finding_that_says_so():
    found = pair("{a} and {a}", "nur")
    assert rules(found) == ["placeholders/missing"]
    assert "2 times" in found["message"][0]


def test_printf_positions_may_be_reordered_but_not_retyped():
    assert pair("%s has %d files", "%2$d Dateien hat %1$s").height == 0
    assert pair("%1$s has %2$d files", "%2$d Dateien hat %1$s").height == 0
    found = pair("%(user)s joined", "%(nutzer)s ist beigetreten")
    assert rules(found) == ["placeholders/renamed"]
    assert found["suggestion"][0] == "%(user)s"
    assert pair("100%% done: %s", "100%% fertig: %s").height == 0


def test_percent_in_prose_is_not_a_placeholder():
    assert pair("Save 50% on orders", "Sparen Sie 50 % bei Bestellungen").height == 0


def test_jinja_slots_with_other_spacing_are_the_same_placeholder():
    assert (
        pair(
            "Playing {{ slots.song }} by {{slots.artist}}", "Ich spiele {{slots.song}} von {{ slots.artist }}"
        ).height
        == 0
    )
    found = pair("Playing {{ slots.song }}", "Ich spiele {{ slots.lied }}")
    assert rules(found) == ["placeholders/renamed"]
    assert found["suggestion"][0] == "{{ slots.song }}"
    assert pair("Playing {{ slots.song }}", "Ich spiele das Lied").height == 1


def test_template_logic_may_differ_but_expressions_may_not():
    source = "{% if slots.name %}Turned on {{ slots.name }}{% else %}Turned on{% endif %}"
    target = "{# article #}{% set a = {'x': 'az'} %}{% if slots.name %}{{ a.x }} {{ slots.name }} bekapcsolva{% endif %}"
    found = pair(source, target, locale="hu-HU")
    assert rules(found) == ["placeholders/extra"]
    assert span_text(found) == "{{ a.x }}"


def test_jinja_expressions_may_contain_braces():
    source = "{{ slots.time.hour }}:{{ '{0:02d}'.format(slots.time.minute) }}"
    assert check([{"locale": "en-US", "key": "a", "text": source}]).height == 0
    assert pair(source, "Klockan är " + source).height == 0


def test_training_utterances_are_not_compared():
    found = check(
        [
            {
                "locale": "de-DE",
                "key": "a",
                "text": "schalte {area} ein",
                "source_text": "turn on {name}",
                "kind": "utterance",
            }
        ]
    )
    assert found.height == 0


def test_dialog_variants_compare_with_the_closest_source_variant():
    rows = [
        {"locale": "en-US", "key": "wind", "variant": 0, "text": "Wind from the {direction} at {speed}"},
        {"locale": "en-US", "key": "wind", "variant": 1, "text": "It will not be windy {day}"},
        # the translator swapped the order of the variants: both are fine
        {
            "locale": "cs-CZ",
            "key": "wind",
            "variant": 0,
            "text": "Nebude větrno {day}",
            "source_text": "Wind from the {direction} at {speed}",
        },
        {
            "locale": "cs-CZ",
            "key": "wind",
            "variant": 1,
            "text": "Vítr od {direction}, {speed}",
            "source_text": "It will not be windy {day}",
        },
        # fits no variant: reported against the closest one (the first), not its own index
        {
            "locale": "de-DE",
            "key": "wind",
            "variant": 1,
            "text": "Wind aus {richtung} mit {speed}",
            "source_text": "It will not be windy {day}",
        },
    ]
    found = check(rows)
    assert rules(found) == ["placeholders/renamed"]
    assert found["locale"][0] == "de-DE" and found["suggestion"][0] == "{direction}"


def test_dollar_placeholders():
    assert pair("Added ${item} for $user", "$user hat ${item} hinzugefügt").height == 0
    assert rules(pair("Added ${item}", "Hinzugefügt")) == ["placeholders/missing"]
    assert pair("It costs $5", "Es kostet 5 $").height == 0  # prices are not placeholders


def test_ssml_tags_compare_by_name_not_attribute_values():
    source = '<speak>Wait <break time="1s"/> <emphasis level="strong">now</emphasis></speak>'
    ok = '<speak>Warte <break time="500ms"/> <emphasis level="strong">jetzt</emphasis></speak>'
    assert pair(source, ok).height == 0
    dropped = '<speak>Warte <break time="1s"/> <emphasis level="strong">jetzt</speak>'
    found = pair(source, dropped)
    assert rules(found) == ["placeholders/missing"]
    assert "</emphasis>" in found["message"][0]
    added = pair("Press <b>OK</b>", "Drücke <b>OK</b> <i>jetzt</i>")
    assert rules(added) == ["placeholders/extra", "placeholders/extra"]
    assert sorted(span_text(added, i) for i in range(2)) == ["</i>", "<i>"]


def test_numbered_and_empty_braces():
    assert pair("{0} of {1}", "{1} von {0}").height == 0
    assert rules(pair("{} of {}", "{} von")) == ["placeholders/missing"]


# ------------------------------------------------------------------------------------- ICU


PLURAL_EN = "{count, plural, one {# file} other {# files}}"


def test_icu_case_text_is_not_placeholders():
    assert pair(PLURAL_EN, "{count, plural, one {# Datei} other {# Dateien}}").height == 0


def test_pound_and_the_argument_are_the_same_placeholder_in_a_case():
    assert pair(PLURAL_EN, "{count, plural, one {{count} Datei} other {{count} Dateien}}").height == 0


def test_polish_with_four_cases_carries_the_same_placeholders():
    source = "{n, plural, one {{name} has # file} other {{name} has # files}}"
    target = (
        "{n, plural, one {{name} ma # plik} few {{name} ma # pliki} many {{name} ma # plików} "
        "other {{name} ma # pliku}}"
    )
    assert pair(source, target, locale="pl-PL").height == 0


def test_renamed_plural_argument_reported_once():
    found = pair(PLURAL_EN, "{anzahl, plural, one {# Datei} other {# Dateien}}")
    assert rules(found) == ["placeholders/renamed"]
    assert found["suggestion"][0] == "{count, plural, …}"
    assert span_text(found) == "{anzahl, plural,"


def test_placeholder_missing_inside_a_plural_case():
    source = "{n, plural, one {{name} has # file} other {{name} has # files}}"
    found = pair(source, "{n, plural, one {# Datei} other {# Dateien}}")
    assert rules(found) == ["placeholders/missing"]
    assert "{name}" in found["message"][0]


def test_polish_plural_without_few_and_many_is_an_error():
    found = pair(PLURAL_EN, "{count, plural, one {# plik} other {# pliki}}", locale="pl-PL")
    assert rules(found) == ["placeholders/plural-categories"]
    row = found.row(0, named=True)
    assert row["severity"] == "error"
    assert "few, many" in row["message"] and "pl-PL" in row["message"]
    assert row["span"] == {"start": 0, "end": len(row["text"])}
    assert "few {…}" in row["suggestion"]


def test_complete_polish_plural_is_fine():
    target = "{count, plural, one {# plik} few {# pliki} many {# plików} other {# pliku}}"
    assert pair(PLURAL_EN, target, locale="pl-PL").height == 0


def test_english_one_other_is_fine_and_exact_cases_are_allowed():
    assert check([{"locale": "en-US", "key": "a", "text": PLURAL_EN}]).height == 0
    zero = "{count, plural, =0 {no files} one {# file} other {# files}}"
    assert check([{"locale": "en-US", "key": "a", "text": zero}]).height == 0
    assert (
        check(
            [{"locale": "en-US", "key": "a", "text": "{count, plural, =1 {a file} other {# files}}"}]
        ).height
        == 0
    )


def test_category_the_locale_never_uses_is_a_warning():
    found = check([{"locale": "en-US", "key": "a", "text": "{n, plural, one {#} few {#} other {#}}"}])
    assert rules(found) == ["placeholders/plural-categories"]
    assert found["severity"][0] == "warning"
    assert "few" in found["message"][0]


def test_exact_one_does_not_replace_french_one_which_also_covers_fractions():
    found = check([{"locale": "fr-FR", "key": "a", "text": "{n, plural, =1 {un} many {#} other {#}}"}])
    assert rules(found) == ["placeholders/plural-categories"]
    assert "lacks one" in found["message"][0]


def test_selectordinal_uses_ordinal_categories():
    ordinal = "{n, selectordinal, one {#st} two {#nd} few {#rd} other {#th}}"
    assert check([{"locale": "en-US", "key": "a", "text": ordinal}]).height == 0
    found = check([{"locale": "en-US", "key": "a", "text": "{n, selectordinal, one {#st} other {#th}}"}])
    assert "two, few" in found["message"][0]


def test_plural_categories_of_an_unknown_locale_are_not_guessed():
    assert check([{"locale": "qaa", "key": "a", "text": "{n, plural, other {#}}"}]).height == 0


def test_icu_syntax_errors_in_source_and_target():
    found = check(
        [
            {"locale": "en-US", "key": "a", "text": "Press { to start"},
            {"locale": "de-DE", "key": "a", "text": "Drücke } zum Start", "source_text": "Press {key}"},
        ]
    )
    assert rules(found) == ["placeholders/icu-syntax", "placeholders/icu-syntax"]
    by_locale = {r["locale"]: r for r in found.iter_rows(named=True)}
    assert by_locale["en-US"]["span"] == {"start": 6, "end": 7}
    assert by_locale["de-DE"]["span"] == {"start": 7, "end": 8}
    assert "never closed" in by_locale["en-US"]["message"]


@pytest.mark.parametrize(
    "text",
    [
        "{n, plural, one {# file} other {# files}",
        "{n, plural, one {# file} one {# files} other {x}}",
        "{g, select, male {he} female {she}}",
        "{n, plural, one # file other {# files}}",
        "{n, plural, =x {a} other {b}}",
        "{n, plural, one {{user name}} other {x}}",
        "{n, plural, one {x} other {y}} and }",
    ],
)
def test_unparsable_icu(text):
    assert rules(check([{"locale": "en-US", "key": "a", "text": text}])) == ["placeholders/icu-syntax"]


def test_quoted_braces_are_literal_in_icu():
    text = "Type '{' then {n, plural, one {# char} other {# chars}}"
    assert check([{"locale": "en-US", "key": "a", "text": text}]).height == 0


def test_nested_select_in_plural():
    source = "{g, select, female {{n, plural, one {she has # cat} other {she has # cats}}} other {{n, plural, one {they have # cat} other {they have # cats}}}}"
    target = "{g, select, female {{n, plural, one {sie hat # Katze} other {sie hat # Katzen}}} other {{n, plural, one {sie haben # Katze} other {sie haben # Katzen}}}}"
    assert pair(source, target).height == 0


# ----------------------------------------------------------------------- what is compared


def test_a_source_record_is_never_compared_with_itself():
    found = check([{"locale": "en-US", "key": "a", "text": "Hi", "source_text": "Hi {name}"}])
    assert found.height == 0


def test_bilingual_records_compare_without_a_source_locale():
    found = check(
        [{"locale": "de-DE", "key": "a", "text": "Hallo", "source_text": "Hi {name}"}], source_locale=None
    )
    assert rules(found) == ["placeholders/missing"]


def test_untranslated_and_empty_targets_are_coverage_business():
    rows = [
        {"locale": "de-DE", "key": "a", "text": "", "source_text": "Hi {name}", "flags": ["untranslated"]},
        {"locale": "de-DE", "key": "b", "text": "  ", "source_text": "Hi {name}"},
    ]
    assert check(rows).height == 0


def test_rules_declared():
    declared = {r.id for r in CHECK.rules}
    assert declared == {
        "placeholders/missing",
        "placeholders/extra",
        "placeholders/renamed",
        "placeholders/plural-categories",
        "placeholders/icu-syntax",
    }


# ------------------------------------------------------------------------------ tokenizer


SAMPLES = [
    "Hello {name}, you have %s and %d and %2$s, %(foo)d $bar ${baz}",
    '<b>x</b> <break time="1s"/> <say-as interpret-as="date">x</say-as> {{ slots.name }} {{{raw}}}',
    "{% if a %}yes{% endif %} 100%% {0} {n, number} {} %{ruby} %.2f %-5d %ld %@",
    "Grüße {ñame} für %s — $ü ${x.y}",
    "a < b > c, 5 % off, $5, %, {{, }}",
    '{% set t = {"a": "b"} %}\n{{ \'{0:02d}\'.format(m) }} {# note\n #} 50%',
]


def test_polars_and_python_find_the_same_tokens():
    extracted = pl.Series(SAMPLES).str.extract_all(PLACEHOLDER_PATTERN).to_list()
    for text, tokens in zip(SAMPLES, extracted, strict=True):
        assert tokens == re.findall(PLACEHOLDER_PATTERN, text), text


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from(list("{}#%$<>/'=, abcdnxyz01\n")), max_size=40))
def test_any_text_tokenises_the_same_way_and_never_raises(text):
    assert pl.Series([text]).str.extract_all(PLACEHOLDER_PATTERN).to_list()[0] == re.findall(
        PLACEHOLDER_PATTERN, text
    )
    parsed = parse_message(text)
    if parsed.error is None:
        assert all(0 <= t.start < t.end <= len(text) for t in parsed.tokens)
    else:
        assert 0 <= parsed.error.start <= len(text)
    tokenize(pl.Series([text]))


def test_token_kinds_and_keys():
    tok = tokenize(pl.Series([SAMPLES[0], SAMPLES[1], SAMPLES[2]])).tokens
    got = {(r["raw"], r["kind"], r["key"]) for r in tok.iter_rows(named=True)}
    assert ("{name}", "brace", "name") in got
    assert ("%s", "printf", "1$s") in got
    assert ("%2$s", "printf", "2$s") in got
    assert ("%(foo)d", "printf", "(foo)d") in got
    assert ("$bar", "dollar", "bar") in got and ("${baz}", "dollar", "baz") in got
    assert ('<break time="1s"/>', "tag", "<break/>") in got
    assert ('<say-as interpret-as="date">', "tag", "<say-as>") in got
    assert ("{{ slots.name }}", "double-brace", "slots.name") in got
    assert ("{{{raw}}}", "triple-brace", "raw") in got
    assert ("{% if a %}", "template-tag", "if a") in got
    multi = tokenize(pl.Series(['{% set t = {"a": "b"} %}\n{# note #}x'])).tokens
    assert multi["kind"].to_list() == ["template-tag", "template-comment"]
    assert ("{n, number}", "brace", "n") in got and ("{}", "brace", "") in got
    assert not any(raw == "%%" for raw, _, _ in got)


def test_icu_tokens_and_plurals():
    parsed = parse_message("Hi {name}, {n, plural, offset:1 =0 {nobody} one {# person} other {# people}}")
    assert parsed.error is None
    assert [t.label for t in parsed.tokens] == ["{name}", "{n, plural, …}", "#"]
    assert parsed.plurals[0].selectors == ("=0", "one", "other")


def test_needs_parse_selects_only_nested_or_unbalanced_strings():
    texts = ["Hi {name}", "{{ x }}", PLURAL_EN, "a } b", "{a {b}}", "plain"]
    flags = pl.DataFrame({"t": texts}).select(needs_parse(pl.col("t")))["t"].to_list()
    assert flags == [False, False, True, True, True, False]


def test_placeholder_spans_skip_syntax_but_keep_case_text():
    text = "Hi {name}! {n, plural, one {# cat} other {# cats}}"
    spans = placeholder_spans(text)
    covered = "".join(text[s:e] for s, e in spans)
    assert "{name}" in covered and "{n, plural," in covered
    assert "cat" not in covered


def test_mask_placeholders():
    out = pl.DataFrame({"t": ["Hi {name}, %s <b>x</b>"]}).select(mask_placeholders(pl.col("t"), ""))["t"][0]
    assert out == "Hi ,  x"


# ------------------------------------------------------------------------------ end to end


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "app"
    shutil.copytree(FIXTURE, target)
    return target


def _edit(folder: Path, locale: str, key: str, text: str) -> None:
    path = folder / f"{locale}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    node = data
    *parents, last = key.split(".")
    for part in parents:
        node = node[part]
    node[last] = text
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


def _run(folder: Path) -> pl.DataFrame:
    result = engine_run(RunOptions(paths=[folder], select=["placeholders"]), Config())
    assert result.errors == []
    return result.findings


def test_correct_catalogs_have_no_findings(tmp_path):
    assert _run(_copy(tmp_path)).height == 0


def test_end_to_end_findings_carry_where_they_are(tmp_path):
    folder = _copy(tmp_path)
    _edit(folder, "de-DE", "greeting", "Hallo {nom}, willkommen zurück!")
    _edit(folder, "pl-PL", "timer", "{count, plural, one {została # minuta} other {zostało # minuty}}")
    _edit(folder, "de-DE", "reminder", "Ich erinnere dich an {{ slots.task }}.")
    found = _run(folder)
    got = {(r["rule"], r["locale"], r["key"]) for r in found.iter_rows(named=True)}
    assert got == {
        ("placeholders/renamed", "de-DE", "greeting"),
        ("placeholders/plural-categories", "pl-PL", "timer"),
        ("placeholders/missing", "de-DE", "reminder"),
    }
    renamed = found.filter(pl.col("rule") == "placeholders/renamed").row(0, named=True)
    assert renamed["path"].endswith("de-DE.json")
    assert renamed["line"] == 2
    assert renamed["column"] == renamed["span"]["start"] + 1
    assert renamed["fingerprint"]
