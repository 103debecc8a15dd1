"""The formality check: register markers, the three rules, policies, and the hard cases.

Tests run on the shipped ``rules/*/formality.yaml`` packs, copied into a folder of their own so
that packs of other checks (and their validity) cannot change the results.
"""

from __future__ import annotations

import shutil
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import polars as pl
import pytest

import locale_guard.packs.loader as loader
from locale_guard.checks import CheckContext, all_checks
from locale_guard.checks.formality import CHECK, MODEL_CACHE_KEY, register_table, run
from locale_guard.config import Config
from locale_guard.engine import FILE_SCHEMA
from locale_guard.formality import find_markers
from locale_guard.formality.masking import mask_text
from locale_guard.readers.base import InputError
from locale_guard.records import records_from_rows

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "rules"
DATA = ROOT / "tests" / "data" / "formality"


@pytest.fixture(scope="module")
def formality_rules(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("rules")
    for pack in RULES.glob("*/formality.yaml"):
        (root / pack.parent.name).mkdir()
        shutil.copy(pack, root / pack.parent.name / pack.name)
    return root


@pytest.fixture(autouse=True)
def _only_formality_packs(monkeypatch: pytest.MonkeyPatch, formality_rules: Path) -> None:
    monkeypatch.setattr(loader, "builtin_root", lambda: formality_rules)
    monkeypatch.delenv(loader.ENV_RULES_PATH, raising=False)


def context(registers: dict[str, str] | None = None, cache: dict[str, Any] | None = None, **config: Any) -> CheckContext:
    locales = {tag: {"register": value} for tag, value in (registers or {}).items()}
    return CheckContext(
        config=Config(locales=locales, **config),
        source_locale=None,
        files=pl.DataFrame(schema=FILE_SCHEMA),
        cache=cache if cache is not None else {},
    )


def records(rows: list[dict[str, Any]]) -> pl.DataFrame:
    for i, row in enumerate(rows):
        row.setdefault("kind", "response")
        row.setdefault("key", f"k{i}")
    return records_from_rows(rows, path="catalog.json")


def verdicts(locale: str, texts: list[str]) -> list[str]:
    recs = records([{"locale": locale, "text": t} for t in texts])
    table = register_table(recs, context())
    return table["register"].to_list()


def check(rows: list[dict[str, Any]], registers: dict[str, str] | None = None, **kwargs: Any) -> pl.DataFrame:
    return run(records(rows), context(registers, **kwargs))


# ------------------------------------------------------------------------------ registration


def test_check_is_registered_with_three_rules() -> None:
    assert all_checks()["formality"] is CHECK
    assert {r.id for r in CHECK.rules} == {
        "formality/register-mismatch",
        "formality/mixed-register",
        "formality/catalog-inconsistent",
    }


# ----------------------------------------------------------------------------- hard cases


def test_german_sie_that_means_she_or_it_is_not_address() -> None:
    got = verdicts(
        "de-DE",
        [
            "Die Bibliothek ist bis 18 Uhr geöffnet. Sie schließt am Samstag früher.",
            "Die Brücke wurde 1990 gebaut. Sie wurde 2015 renoviert.",
            "Sie haben drei neue Nachrichten.",
            "Möchten Sie das Licht einschalten?",
        ],
    )
    assert got == ["none", "none", "formal", "formal"]


def test_a_name_after_herr_or_frau_is_not_address() -> None:
    assert verdicts("de-DE", ["Herr Müller hat angerufen.", "Frau Schneider, Sie haben einen Termin."]) == ["none", "formal"]
    assert verdicts("pl-PL", ["Pan Kowalski dzwonił dziś rano.", "Czy chce Pan posłuchać muzyki?"]) == ["none", "formal"]
    assert verdicts("pt-BR", ["O senhor Silva ligou.", "O senhor quer ouvir música?"]) == ["none", "formal"]


def test_french_vous_to_a_group_is_the_plural_not_a_register() -> None:
    texts = [
        "Bonjour à tous ! Vous êtes prêts pour le quiz ?",
        "Les enfants, vous pouvez jouer ensemble maintenant.",
        "Vous êtes prêt pour le quiz ?",
        "Vous êtes très aimable.",
    ]
    assert verdicts("fr-FR", texts) == ["none", "none", "formal", "formal"]
    found = check([{"locale": "fr-FR", "text": t} for t in texts], {"fr-FR": "informal"})
    assert sorted(found["text"].to_list()) == sorted(texts[2:])


def test_spanish_and_italian_verbs_without_a_pronoun() -> None:
    es = verdicts("es-ES", ["¿Quieres que encienda la luz?", "¿Quiere que encienda la luz?", "Podría llover mañana.", "Pulse el botón."])
    assert es == ["informal", "formal", "none", "formal"]
    it = verdicts("it-IT", ["Vuoi ascoltare musica?", "Vuole ascoltare musica?", "Riprova più tardi.", "Riprovi più tardi."])
    assert it == ["informal", "formal", "informal", "formal"]


def test_spanish_ustedes_is_formal_in_spain_and_plural_in_latin_america() -> None:
    assert verdicts("es-ES", ["Ustedes pueden jugar juntos."]) == ["formal"]
    assert verdicts("es-MX", ["Ustedes pueden jugar juntos."]) == ["none"]


def test_a_status_line_is_not_an_imperative() -> None:
    assert verdicts("es-ES", ["Cierre completado", "Cierre la puerta, por favor."]) == ["none", "formal"]
    assert verdicts("el-GR", ["Άνοιξε", "{{ name }} άνοιξε", "Άνοιξε την πόρτα."]) == ["none", "none", "informal"]
    assert verdicts("pt-PT", ["{day} espera {condition}", "Espera um momento."]) == ["none", "informal"]


def test_quoted_speech_is_not_the_assistants_register() -> None:
    assert verdicts("de-DE", ["Anna hat geschrieben: „Kommst du heute Abend mit?“ Möchten Sie antworten?"]) == ["formal"]
    assert verdicts("fr-FR", ["Paul dit : « Attends-moi, j'arrive ! »"]) == ["none"]
    assert verdicts("it-IT", ["Marco ha scritto: «Vieni stasera?» Vuole rispondergli?"]) == ["formal"]


def test_placeholders_and_templates_are_not_read() -> None:
    texts = ["{du} hat angerufen", "{% if du %}Licht an{% endif %}", "Hallo {{ name }}, hast du Zeit?"]
    assert verdicts("de-DE", texts) == ["none", "none", "informal"]


def test_masking_keeps_offsets() -> None:
    text = "Sag „Stopp“, {name}!"
    masked = mask_text(text)
    assert len(masked) == len(text)
    assert masked.startswith("Sag „") and "Stopp" not in masked and "{name}" not in masked


@pytest.mark.skipif(find_spec("sudachipy") is None, reason="needs SudachiPy")
def test_japanese_speech_levels_come_from_morphology() -> None:
    got = verdicts(
        "ja-JP",
        [
            "明日の天気は晴れです。",
            "タイマーを設定しました。",
            "タイマーを設定した。",
            "明日は雨。",
            "タイマー終了。",
            "新しいメッセージが3件あります。聞く？",
            "田中さんから「今夜来る？」とメッセージが届いています。",
            "お忘れにならないでください。",
        ],
    )
    assert got == ["formal", "formal", "informal", "none", "none", "mixed", "formal", "formal"]


@pytest.mark.skipif(find_spec("kiwipiepy") is None, reason="needs Kiwi")
def test_korean_speech_levels_and_the_yo_suggestion() -> None:
    texts = ["타이머를 설정했어요.", "타이머를 설정했습니다.", "타이머 설정했어.", "오늘은 맑음.", "다른 용건이 있으신가요?"]
    assert verdicts("ko-KR", texts) == ["formal", "formal", "informal", "none", "formal"]
    found = check([{"locale": "ko-KR", "text": "타이머 설정했어."}])
    assert found["rule"].to_list() == ["formality/register-mismatch"]
    assert found["suggestion"][0] == "설정했어 → 설정했어요"
    assert found["evidence"][0].to_list() == ["설정했어 (formality/banmal-hae)"]


# ---------------------------------------------------------------------------------- rules


def test_register_mismatch_names_words_rules_span_and_a_safe_suggestion() -> None:
    text = "Ich habe deine Liste aktualisiert, schau sie dir an."
    found = check([{"locale": "de-DE", "text": text}])
    assert found["rule"].to_list() == ["formality/register-mismatch"]
    row = found.row(0, named=True)
    assert row["source"] == "rule"
    assert "informally" in row["message"] and "de-DE speaks formal" in row["message"]
    assert "deine (formality/informal-possessive)" in row["evidence"]
    assert "dir (formality/informal-pronoun)" in row["evidence"]
    span = row["span"]
    assert text[span["start"] : span["end"]] == "deine"
    assert row["suggestion"] == "deine → Ihre"


def test_no_suggestion_where_the_verb_would_have_to_change() -> None:
    found = check([{"locale": "de-DE", "text": "Hast du Zeit?"}])
    assert found["suggestion"].to_list() == [None]


def test_policy_from_configuration_overrides_the_profile() -> None:
    rows = [{"locale": "de-DE", "text": "Möchten Sie Musik hören?"}, {"locale": "de-DE", "text": "Möchtest du Musik hören?"}]
    assert check(rows)["text"].to_list() == ["Möchtest du Musik hören?"]
    informal = check(rows, {"de-DE": "informal"})
    assert informal["text"].to_list() == ["Möchten Sie Musik hören?"]
    assert "(configuration)" in informal["message"][0]
    # with no policy, the split catalog is reported instead, on the minority... here a tie: both
    anything = check(rows, {"de-DE": "any"})
    assert set(anything["rule"]) == {"formality/catalog-inconsistent"}


def test_mixed_register_in_one_string_is_reported_whatever_the_policy() -> None:
    text = "Können Sie mir sagen, wie dein Hund heißt?"
    for policy in ("formal", "informal", "any"):
        found = check([{"locale": "de-DE", "text": text}], {"de-DE": policy})
        assert found["rule"].to_list() == ["formality/mixed-register"], policy
        evidence = found["evidence"][0].to_list()
        assert any(e.startswith("Sie") for e in evidence) and any(e.startswith("dein") for e in evidence)
    found = check([{"locale": "de-DE", "text": text}], {"de-DE": "formal"})
    span = found["span"][0]
    assert text[span["start"] : span["end"]] == "dein"
    assert found["suggestion"][0] == "dein → Ihr"


def test_variants_of_one_key_that_switch_register() -> None:
    rows = [
        {"locale": "cs-CZ", "key": "greeting", "variant": 0, "text": "Dobrý den, jak vám mohu pomoci?"},
        {"locale": "cs-CZ", "key": "greeting", "variant": 1, "text": "Dobrý den, s čím vám mohu pomoci?"},
        {"locale": "cs-CZ", "key": "greeting", "variant": 2, "text": "Ahoj, s čím ti můžu pomoct?"},
        {"locale": "cs-CZ", "key": "other", "variant": 0, "text": "Ahoj, co potřebuješ?"},
    ]
    found = check(rows)
    mixed = found.filter(pl.col("rule") == "formality/mixed-register")
    assert mixed["text"].to_list() == ["Ahoj, s čím ti můžu pomoct?"]
    assert "key 'greeting'" in mixed["message"][0] and "2 other variant(s)" in mixed["message"][0]
    # the odd variant is reported once, not again as catalog-inconsistent
    assert found.filter(pl.col("record_id") == mixed["record_id"][0]).height == 1


def test_catalog_inconsistent_reports_the_minority_with_counts() -> None:
    rows = [
        {"locale": "cs-CZ", "text": "Chcete, abych rozsvítil?"},
        {"locale": "cs-CZ", "text": "Vaše schůzka byla přesunuta."},
        {"locale": "cs-CZ", "text": "Zkuste to znovu za pár minut."},
        {"locale": "cs-CZ", "text": "Můžeš to zopakovat?"},
        {"locale": "cs-CZ", "text": "Časovač skončil."},
    ]
    found = check(rows)
    assert found["rule"].to_list() == ["formality/catalog-inconsistent"]
    assert found["text"].to_list() == ["Můžeš to zopakovat?"]
    assert "3 formal and 1 informal" in found["message"][0]
    assert found["severity"].to_list() == ["info"]
    # with a written policy, register-mismatch says which strings are wrong instead
    strict = check(rows, {"cs-CZ": "formal"})
    assert strict["rule"].to_list() == ["formality/register-mismatch"]


def test_catalogs_are_told_apart_by_project_folder() -> None:
    texts = ["Chcete pokračovat?", "Chceš pokračovat?", "Chcete skončit?"]
    recs = records([{"locale": "cs-CZ", "text": t} for t in texts])
    # the engine adds the catalog: the path with its locale replaced by {locale}
    two_projects = recs.with_columns(pl.Series("catalog", ["a/{locale}/x.json", "b/{locale}/x.json", "a/{locale}/y.json"]))
    assert run(two_projects, context()).height == 0
    one_project = recs.with_columns(pl.Series("catalog", ["a/{locale}/x.json", "a/{locale}/z.json", "a/{locale}/y.json"]))
    found = run(one_project, context())
    assert found["text"].to_list() == ["Chceš pokračovat?"]
    assert found["message"][0].startswith("catalog 'a/cs-CZ' mixes registers: 2 formal and 1 informal")


def test_only_responses_are_judged() -> None:
    rows = [{"locale": "de-DE", "text": "Mach das Licht an, du Faulpelz", "kind": "utterance"}]
    assert check(rows).height == 0


def test_position_rules_need_their_position() -> None:
    got = verdicts("de-DE", ["Versuche es später noch einmal.", "Bitte versuche es später.", "Ich versuche es später."])
    assert got == ["informal", "informal", "none"]
    # capitalised Sie/Er mid-sentence only: a sentence-initial Ni is also the plural
    assert verdicts("sv-SE", ["Vill Ni ha kaffe?", "Ni får gärna spela.", "Barn, ni får gärna spela."]) == ["formal", "none", "none"]


def test_the_classifier_prediction_is_mentioned_when_present() -> None:
    recs = records([{"locale": "de-DE", "text": "Hast du Zeit?"}, {"locale": "de-DE", "text": "Hast du Hunger?"}])
    ids = recs["record_id"].to_list()
    cache = {MODEL_CACHE_KEY: pl.DataFrame({"record_id": ids, "label": ["informal", "formal"], "score": [0.93, 0.71]})}
    found = run(recs, context(cache=cache)).sort("text")
    assert "classifier agrees (informal, p=0.93)" in found["message"][1]
    assert "classifier reads it as formal (p=0.71)" in found["message"][0]
    assert set(found["source"]) == {"rule"}


def test_empty_and_blank_input() -> None:
    assert check([]).height == 0
    assert check([{"locale": "de-DE", "text": "   "}, {"locale": "de-DE", "text": None}]).height == 0
    assert check([{"locale": "xx-YY", "text": "Hast du Zeit?"}]).height == 0


# ------------------------------------------------------------------------- pack validation


def write_pack(root: Path, body: str) -> Path:
    (root / "de").mkdir(parents=True, exist_ok=True)
    path = root / "de" / "formality-extra.yaml"
    path.write_text(body, encoding="utf-8")
    return path


BAD_PACK = """version: "1.0"
language: de
check: formality
rules:
  - id: extra
    kind: lexicon
    severity: warning
    message: "extra {{match}}"
    {field}
    terms: [moin]
    examples:
      match: ["moin"]
"""


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("category: polite", "category 'polite' is not one of"),
        ("message2: x", "unknown field"),
        ("category: informal\n    options: {positon: sentence-start}", "unknown option 'positon'"),
        ("category: informal\n    options: {position: start}", "option position must be one of"),
        ("category: informal\n    options: {vetoes: [x]}", "option vetoes belongs on a veto rule"),
        ("severity2: x", "unknown field"),
    ],
)
def test_bad_formality_options_are_input_errors(tmp_path: Path, field: str, expected: str) -> None:
    write_pack(tmp_path, BAD_PACK.replace("{field}", field))
    rows = [{"locale": "de-DE", "text": "moin"}]
    with pytest.raises(InputError) as err:
        run(records(rows), context(rule_paths=(tmp_path,)))
    assert expected in str(err.value)


def test_a_rule_without_category_is_refused(tmp_path: Path) -> None:
    write_pack(tmp_path, BAD_PACK.replace("{field}", ""))
    with pytest.raises(InputError, match="needs a category"):
        run(records([{"locale": "de-DE", "text": "moin"}]), context(rule_paths=(tmp_path,)))


def test_a_team_pack_adds_markers(tmp_path: Path) -> None:
    write_pack(tmp_path, BAD_PACK.replace("{field}", "category: informal"))
    found = run(records([{"locale": "de-DE", "text": "moin, alles klar"}]), context(rule_paths=(tmp_path,)))
    assert found["rule"].to_list() == ["formality/register-mismatch"]
    assert found["evidence"][0].to_list() == ["moin (formality/extra)"]


# --------------------------------------------------------------------- the shipped packs


def _pack_rules() -> list[tuple[str, str, str]]:
    """(tag, rule id, example) for every match example of every marker rule shipped."""
    import yaml

    out = []
    for path in sorted(RULES.glob("*/formality.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for rule in data["rules"]:
            if rule.get("category") not in ("formal", "informal"):
                continue
            for example in rule["examples"]["match"]:
                out.append((path.parent.name, rule["id"], example))
    return out


def test_every_marker_example_is_found_by_the_check_where_it_stands() -> None:
    """Pack examples run without position options in `rules validate`; here they run with them."""
    cases = _pack_rules()
    rows = [{"record_id": f"r{i}", "locale": tag, "text": text} for i, (tag, _, text) in enumerate(cases)]
    found = find_markers(records(rows), context())
    hits = set(zip(found["record_id"].to_list(), found["rule"].to_list(), strict=True))
    missing = [
        f"{tag} {rule}: {text!r}"
        for i, (tag, rule, text) in enumerate(cases)
        if (f"r{i}", f"formality/{rule}") not in hits
        and not (tag in ("ja", "ko") and _no_segmenter(tag))
    ]
    assert not missing, "\n".join(missing)


def _no_segmenter(tag: str) -> bool:
    return find_spec({"ja": "sudachipy", "ko": "kiwipiepy"}[tag]) is None


def test_labelled_set_scores() -> None:
    """The labelled test split (tests/data/formality): what bench/eval_formality.py reports."""
    frames = [
        pl.read_csv(p, separator="\t", quote_char=None).with_columns(pl.lit(p.stem).alias("lang"))
        for p in sorted(DATA.glob("*.tsv"))
    ]
    data = pl.concat(frames).filter(pl.col("split") == "test").with_row_index("n")
    recs = records(
        [{"record_id": f"r{n}", "locale": loc, "text": t} for n, loc, t in data.select("n", "locale", "text").iter_rows()]
    )
    got = register_table(recs, context())
    joined = data.with_columns(pl.format("r{}", pl.col("n")).alias("record_id")).join(got, on="record_id")
    accuracy = (joined["label"] == joined["register"]).mean()
    assert accuracy >= 0.97
    per_language = joined.group_by("lang").agg((pl.col("label") == pl.col("register")).mean().alias("acc"))
    assert per_language["acc"].min() >= 0.85, per_language.sort("acc")
