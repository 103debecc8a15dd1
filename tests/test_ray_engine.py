"""``--engine ray``: the same findings and predictions as the local engine, from Ray tasks.

One local Ray (2 CPUs, no dashboard, no usage stats) serves the module. The fixture is a small
product in four formats and five locales that makes findings of most checks, including the
cases partitioning could get wrong: placeholders and untranslated strings against the source,
keys and files missing from a target, a target locale with an empty file and no strings, an
empty file that names no locale, intents missing against the training pivot in one file of all
locales (findings that tie in the report order), and findings of the source locale itself
(which every partition carries, and only one may report).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
ray = pytest.importorskip("ray")
pytest.importorskip("ray.data")

import polars as pl  # noqa: E402
from click.testing import CliRunner  # noqa: E402
from polars.testing import assert_frame_equal  # noqa: E402

from locale_guard.cli import cli  # noqa: E402
from locale_guard.distributed.ray_check import merge_artifacts, plan_partitions  # noqa: E402

# Ray Data's own deprecation notices about its settings are not ours to fix
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:ray.*")

CATALOGS = {
    "en-US": {
        "greeting": "Hello {name}, how are you today?",
        "bye": "Goodbye and see you soon",
        "items": "You have {count} new messages",
        "holiday": "Merry Christmas to you and your family!",
        "oops": "Damn, that did not work.",
        "only_en": "This string is only in English so far",
    },
    "de-DE": {
        "greeting": "Hallo, wie geht es dir heute?",  # {name} lost
        "bye": "Goodbye and see you soon",  # untranslated
        "items": "Sie haben {count} neue Nachrichten",
        "holiday": "Frohe Weihnachten!",
        "oops": "Scheiße, das hat nicht geklappt.",
        "extra": "Nur auf Deutsch",  # not in the source
    },
    "it-IT": {
        "greeting": "Ciao {name} e {friend}!",  # a placeholder the source lacks
        "bye": "",
        "items": "Hai {count} nuovi messaggi",
        "holiday": "Buon Natale a te e alla tua famiglia!",
        "oops": "Non ha funzionato.",
    },
}

PO_PL = """msgid ""
msgstr ""
"Language: pl\\n"
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "Timer set for %(minutes)d minutes."
msgstr "Minutnik ustawiony na minut."

msgid "Your timer for %s is done."
msgstr ""

msgid "Goodbye and see you soon"
msgstr "Do zobaczenia wkrótce"
"""

NLU = {
    "en-US": [
        ("alarm", "alarm_set", "wake me up at seven"),
        ("alarm", "alarm_set", "set an alarm for six thirty"),
        ("alarm", "alarm_query", "which alarms do I have"),
        ("weather", "weather_query", "what is the weather in berlin"),
        ("weather", "weather_query", "will it rain tomorrow"),
        ("music", "play_music", "play some jazz"),
    ],
    "de-DE": [
        ("alarm", "alarm_set", "weck mich um sieben"),
        ("alarm", "alarm_set", "weck mich um sieben"),  # a duplicate
        ("weather", "weather_query", "wie ist das wetter in berlin"),
        ("music", "play_music", "spiel etwas jazz"),
    ],
    "it-IT": [
        ("alarm", "alarm_set", "svegliami alle sette"),
        ("alarm", "alarm_query", "quali sveglie ho"),
        ("weather", "weather_query", "che tempo fa a berlino"),
    ],
}


DIALOG = {
    "en-US": ["It is {temperature} degrees {unit} in {location}", "Right now it is {temperature} degrees"],
    "de-DE": ["Gerade sind es {temperature} Grad", "Es sind {temperature} Grad {unit} in {location}"],
}


def write_fixture(root: Path) -> Path:
    """The product tree: JSON catalogs, a PO file, MASSIVE training data, empty files."""
    (root / "locale-guard.toml").write_text('source-locale = "en-US"\n', encoding="utf-8")
    app = root / "app"
    app.mkdir(parents=True)
    for locale, strings in CATALOGS.items():
        (app / f"{locale}.json").write_text(json.dumps(strings, ensure_ascii=False, indent=1), encoding="utf-8")
    (app / "es-ES.json").write_text("{}", encoding="utf-8")  # a target locale with no strings at all
    (app / "notes.json").write_text("{}", encoding="utf-8")  # no locale, no strings
    (root / "po").mkdir()
    (root / "po" / "pl.po").write_text(PO_PL, encoding="utf-8")
    (root / "nlu").mkdir()
    lines = [  # one file of every locale, as the MASSIVE benchmark files are
        json.dumps({"id": str(i), "locale": locale, "partition": "train", "scenario": s, "intent": it,
                    "utt": text, "annot_utt": text}, ensure_ascii=False)
        for locale, rows in NLU.items()
        for i, (s, it, text) in enumerate(rows)
    ]
    (root / "nlu" / "massive.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    # response variants: each translation is compared with its nearest source variant, which
    # only a partition that also holds the source records can find
    for locale, variants in DIALOG.items():
        folder = root / "skill" / "locale" / locale
        folder.mkdir(parents=True)
        (folder / "current-temperature.dialog").write_text("\n".join(variants) + "\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def ray_cluster():
    """A local Ray for this module only (CI: 2 CPUs, nothing reaches the network)."""
    ray.init(num_cpus=2, include_dashboard=False, logging_level="ERROR", log_to_driver=False)
    yield ray
    ray.shutdown()


@pytest.fixture(scope="module")
def product(tmp_path_factory) -> Path:
    return write_fixture(tmp_path_factory.mktemp("ray-product"))


def invoke(*args: str, cwd: Path):
    old = Path.cwd()
    os.chdir(cwd)  # paths in reports are relative to the working directory, as in CI
    try:
        return CliRunner().invoke(cli, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)


def _sorted(findings: pl.DataFrame) -> pl.DataFrame:
    return findings.sort(findings.columns, nulls_last=True)


def test_check_on_ray_reports_exactly_what_the_local_engine_reports(ray_cluster, product: Path, tmp_path: Path) -> None:
    reports, tables = {}, {}
    for engine in ("local", "ray"):
        out, table = tmp_path / f"{engine}.json", tmp_path / f"{engine}.parquet"
        result = invoke(
            "check", str(product), "--engine", engine, "--format", "json", "-o", str(out),
            "--findings-parquet", str(table), cwd=product,
        )
        assert result.exit_code == 1, result.output  # error findings, no input errors
        tables[engine] = pl.read_parquet(table)
        assert f"wrote {tables[engine].height} finding(s) to {table}" in result.output
        reports[engine] = json.loads(out.read_text(encoding="utf-8"))
        reports[engine]["summary"].pop("seconds")
    assert reports["ray"] == reports["local"]  # findings in the same order, summary, errors
    local, remote = tables["local"], tables["ray"]
    assert remote.schema == local.schema
    assert_frame_equal(_sorted(remote), _sorted(local))  # every column, spans and evidence too

    # the fixture exercises what partitioning could get wrong
    assert {"placeholders", "coverage", "offensive", "holidays"} <= set(local["check"].to_list())
    rules = set(local["rule"].to_list())
    assert {"coverage/missing-key", "coverage/untranslated", "coverage/extra-key", "coverage/missing-intent"} <= rules
    locales = local["locale"].to_list()
    assert "es-ES" in locales  # a locale whose only file is empty
    assert locales.count(None) == 1  # notes.json: empty, and names no locale
    # locale-wide gaps of one file name no line: their order among equals is the gap ranking
    gaps = local.filter(pl.col("line").is_null() & pl.col("path").str.ends_with("massive.jsonl"))
    assert gaps["locale"].n_unique() > 1
    source = local.filter(pl.col("locale") == "en-US")  # every partition carries these records
    assert source.height and remote.filter(pl.col("locale") == "en-US").height == source.height
    assert remote["fingerprint"].n_unique() == remote.height


def test_checks_that_need_every_locale_run_on_the_driver(ray_cluster, tmp_path: Path) -> None:
    """``candidates = ["run"]`` weighs strings against every language of the run; a pivot other
    than the source makes coverage carry another locale's records in every partition."""
    from locale_guard.cli.common import open_config
    from locale_guard.distributed.ray_check import run_on_ray
    from locale_guard.engine import RunOptions, run

    root = write_fixture(tmp_path)
    (root / "locale-guard.toml").write_text(
        'source-locale = "en-US"\n[checks.language]\ncandidates = ["run"]\n[checks.coverage]\npivot = "de-DE"\n',
        encoding="utf-8",
    )
    config = open_config(None, [root])
    options = RunOptions(paths=[root], select=["language", "coverage"])
    local, remote = run(options, config), run_on_ray(options, config)
    assert_frame_equal(remote.findings, local.findings)  # same rows, same order
    assert {"language", "coverage"} == set(local.findings["check"].to_list())
    assert "de-DE" in local.findings.filter(pl.col("rule") == "coverage/missing-intent")["message"].str.extract(r"; (\S+) has").to_list()


def test_artifacts_of_partitions_merge_like_one_run() -> None:
    days = pl.DataFrame({"locale": ["de-DE", "de-DE"], "holiday": ["Ostern", "Weihnachten"]})
    merged = merge_artifacts(
        [
            {"notices": ["a", "b"], "holiday_coverage": days, "classifier": {"model": "m", "texts": 2, "seconds": 1.0}},
            {"notices": ["b", "c"], "holiday_coverage": pl.DataFrame({"locale": ["at-AT"], "holiday": ["Ostern"]}),
             "classifier": {"model": "m", "texts": 3, "seconds": 0.5}},
        ]
    )
    assert merged["notices"] == ["a", "b", "c"]
    assert merged["holiday_coverage"]["locale"].to_list() == ["at-AT", "de-DE", "de-DE"]
    assert merged["holiday_coverage"]["holiday"].to_list() == ["Ostern", "Ostern", "Weihnachten"]
    assert merged["classifier"] == {"model": "m", "texts": 5, "seconds": 1.5}


def test_partitions_carry_the_source_and_the_pivot_by_language() -> None:
    records = pl.DataFrame({"locale": ["de-DE", "en-GB", "fr-FR", "en-AU", "de-DE"]})
    plan = plan_partitions(records, source_locale="en-US", pivot="en-US", with_reference=True)
    assert plan.locales == ("de-DE", "en-GB", "fr-FR", "en-AU")
    # en-US is absent: coverage resolves it by language to an English locale, so all travel
    assert plan.reference == ("en-GB", "en-AU")
    assert plan.home == "de-DE"
    plan = plan_partitions(records, source_locale="fr-FR", pivot="de-DE", with_reference=False)
    assert plan.reference == () and plan.home == "fr-FR"


def test_unreachable_cluster_is_one_error_line(ray_cluster, product: Path) -> None:
    result = invoke("check", str(product), "--engine", "ray", "--ray-address", "ray://127.0.0.1:1", cwd=product)
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "error: cannot reach the Ray cluster at ray://127.0.0.1:1: Connection refused"
    ]


def test_ray_address_without_ray_engine_is_a_usage_error(product: Path) -> None:
    result = invoke("check", str(product), "--ray-address", "auto", cwd=product)
    assert result.exit_code == 2 and "--ray-address needs --engine ray" in result.output


def test_missing_ray_is_one_error_line(product: Path, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` now fails as if not installed
    monkeypatch.setitem(sys.modules, "ray.data", None)
    result = invoke("check", str(product), "--engine", "ray", cwd=product)
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: --engine ray needs Ray Data")
    assert "pip install 'locale-guard[ray]'" in lines[0]


# ------------------------------------------------------------------------ model predict


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory) -> Path:
    """An untrained tiny XLM-R-shaped classifier (tests/model/_tiny_models.py builds the base)."""
    pytest.importorskip("torch")
    pytest.importorskip("transformers")
    sys.path.insert(0, str(Path(__file__).parent / "model"))
    from _tiny_models import build_base

    from locale_guard.model.network import ModelMeta, load_encoder, new_model, save_model

    base = build_base(tmp_path_factory.mktemp("tiny-base"))
    encoder, tokenizer = load_encoder(str(base))
    meta = ModelMeta(base_model=str(base), max_length=64, thresholds={"global": 0.5, "locales": {"de-DE": 0.45}})
    folder = tmp_path_factory.mktemp("tiny-guard") / "guard"
    save_model(new_model(encoder, tokenizer, meta), folder)
    return folder


def test_predict_on_ray_matches_local_scores(ray_cluster, product: Path, tiny_model: Path, tmp_path: Path) -> None:
    tables, logs = {}, {}
    for engine, extra in (("local", []), ("ray", ["--ray-actors", "2", "--threads", "1"])):
        out = tmp_path / f"{engine}.parquet"
        result = invoke(
            "model", "predict", "--model", str(tiny_model), str(product), "--device", "cpu",
            "--engine", engine, *extra, "-o", str(out), cwd=product,
        )
        assert result.exit_code == 0, result.output
        tables[engine], logs[engine] = pl.read_parquet(out), result.stderr
    local, remote = tables["local"], tables["ray"]
    assert remote.schema == local.schema  # same columns, same order, same types
    # same rows in the same order, and every column but the scores identical
    scores = [c for c in local.columns if c.endswith("_score") or c.startswith("p_")]
    assert_frame_equal(remote.drop(scores), local.drop(scores))
    for name in scores:
        assert (remote[name] - local[name]).abs().max() < 1e-5, name
    assert local.height > 20 and local["text"].n_unique() < local.height  # duplicates scored once
    assert {"en-US", "de-DE", "it-IT", "pl"} <= set(local["locale"].to_list())
    assert "on ray (2 cpu actors)" in logs["ray"] and f"scored {local.height} strings" in logs["ray"]


def test_actors_go_one_per_gpu_else_one_per_thread_group() -> None:
    from locale_guard.distributed.ray_predict import placement
    from locale_guard.model import ModelError

    gpu = placement({"CPU": 64.0, "GPU": 4.0}, "auto", None, None)
    assert (gpu.kind, gpu.actors, gpu.num_gpus) == ("cuda", 4, 1.0)
    cpu = placement({"CPU": 16.0, "GPU": 4.0}, "cpu", None, 4)
    assert (cpu.kind, cpu.actors, cpu.num_gpus, cpu.num_cpus, cpu.threads) == ("cpu", 4, 0.0, 4.0, 4)
    assert placement({"CPU": 16.0}, "auto", 3, None).actors == 3
    with pytest.raises(ModelError, match="no GPU"):
        placement({"CPU": 16.0}, "cuda", None, None)
