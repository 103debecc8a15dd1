"""``locale-guard datasets massive``: the official MASSIVE release in, a summary and files out.

The release is built here in miniature (a few records in three locales) as Amazon ships it:
``amazon-massive-dataset-1.1.tar.gz`` with ``1.1/data/<locale>.jsonl``, or unpacked.
"""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

from locale_guard.cli import cli
from locale_guard.datasets.massive import read_release, summarise

ROWS = {
    "en-US": [
        ("0", "train", "alarm", "alarm_set", "wake me up at five am", "wake me up at [time : five am]"),
        ("1", "train", "weather", "weather_query", "is it raining in paris", "is it raining in [place_name : paris]"),
        ("2", "dev", "alarm", "alarm_query", "what alarms do i have", "what alarms do i have"),
        ("3", "test", "music", "play_music", "play some jazz", "play some [music_genre : jazz]"),
    ],
    "de-DE": [
        ("0", "train", "alarm", "alarm_set", "weck mich um fünf uhr", "weck mich um [time : fünf uhr]"),
        ("1", "train", "weather", "weather_query", "regnet es in paris", "regnet es in [place_name : paris]"),
        ("3", "test", "music", "play_music", "spiel etwas jazz", "spiel etwas [music_genre : jazz]"),
    ],
    "sl-SL": [
        ("0", "train", "alarm", "alarm_set", "zbudi me ob petih", "zbudi me ob [time : petih]"),
        ("2", "dev", "alarm", "alarm_query", "katere alarme imam", "katere alarme imam"),
    ],
}
COLUMNS = ("id", "partition", "scenario", "intent", "utt", "annot_utt")


def _jsonl(locale: str) -> bytes:
    lines = []
    for row in ROWS[locale]:
        record = {"locale": locale, **dict(zip(COLUMNS, row, strict=True)), "worker_id": "7"}
        # MASSIVE 1.1 provenance fields: nested, and not carried over
        record["slot_method"] = [{"slot": "time", "method": "translation"}]
        record["judgments"] = [{"worker_id": "3", "intent_score": 1}]
        lines.append(json.dumps(record, ensure_ascii=False))
    return ("\n".join(lines) + "\n").encode("utf-8")


def _tarball(path: Path, files: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


@pytest.fixture
def tarball(tmp_path: Path) -> Path:
    files = {"1.1/LICENSE": b"CC BY 4.0\n"}
    files.update({f"1.1/data/{loc}.jsonl": _jsonl(loc) for loc in ROWS})
    return _tarball(tmp_path / "amazon-massive-dataset-1.1.tar.gz", files)


def _folder(root: Path, sub: str = "") -> Path:
    data = root / sub if sub else root
    data.mkdir(parents=True, exist_ok=True)
    for loc in ROWS:
        (data / f"{loc}.jsonl").write_bytes(_jsonl(loc))
    return root


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


# ------------------------------------------------------------------------------ reading


def test_tarball_is_read_and_summarised(tarball: Path) -> None:
    result = invoke("datasets", "massive", str(tarball))
    assert result.exit_code == 0, result.output
    out = result.output
    assert "9 records" in out
    assert "published: 52 locales, 18 scenarios, 60 intents, 55 slot types" in out
    assert "found:     3 locales, 3 scenarios, 4 intents, 3 slot types" in out
    # per locale and partition: en-US has 2 train, 1 dev, 1 test
    en_line = next(line for line in out.splitlines() if line.strip().startswith("en-US"))
    assert en_line.split()[1:] == ["2", "1", "1", "4"]
    assert next(line for line in out.splitlines() if line.strip().startswith("all")).split()[-1] == "9"


@pytest.mark.parametrize("sub", ["", "data", "1.1/data"])
def test_unpacked_folder_in_each_layout(tmp_path: Path, sub: str) -> None:
    root = _folder(tmp_path / "massive", sub)
    records = read_release(root)
    assert records.height == 9
    assert sorted(records["locale"].unique().to_list()) == ["de-DE", "en-US", "sl-SL"]
    assert set(records.columns) == {"id", "locale", "partition", "scenario", "intent", "utt", "annot_utt", "worker_id"}


def test_summary_counts_slot_types_intents_and_partitions(tarball: Path) -> None:
    summary = summarise(read_release(tarball))
    assert summary.slot_types == ["music_genre", "place_name", "time"]
    assert summary.intents == ["alarm_query", "alarm_set", "play_music", "weather_query"]
    assert summary.per_locale.filter(pl.col("locale") == "sl-SL").row(0) == ("sl-SL", 1, 1, 0, 2)
    assert summary.malformed_annotations == 0


def test_locales_option_reads_only_those(tarball: Path) -> None:
    result = invoke("datasets", "massive", str(tarball), "--locales", "de-DE,sl-SL")
    assert result.exit_code == 0, result.output
    assert "5 records" in result.output and "en-US" not in result.output
    assert "subset" in result.output


# ------------------------------------------------------------------------------ writing


def test_parquet_folder_is_checked_by_locale_guard_check(tarball: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = invoke("datasets", "massive", str(tarball), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["de-DE.parquet", "en-US.parquet", "sl-SL.parquet"]
    report = invoke("check", str(out), "--select", "coverage", "--format", "json", "--fail-on", "never")
    data = json.loads(report.stdout)
    assert data["errors"] == []
    assert data["summary"]["records"] == 9
    assert data["summary"]["locales"] == ["de-DE", "en-US", "sl-SI"]
    # de-DE lacks en-US's alarm_query intent: found from the Parquet file's intent column
    gaps = [f for f in data["findings"] if f["rule"] == "coverage/missing-intent"]
    assert any("alarm_query" in f["message"] and f["locale"] == "de-DE" for f in gaps)


def test_jsonl_folder_keeps_slots_for_the_massive_reader(tarball: Path, tmp_path: Path) -> None:
    out = tmp_path / "jsonl"
    assert invoke("datasets", "massive", str(tarball), "--out", str(out), "--format", "jsonl").exit_code == 0
    from locale_guard.readers import ReadRequest, detect

    path = out / "en-US.jsonl"
    reader = detect(path)
    assert reader is not None and reader.name == "massive"
    records = reader.read(ReadRequest(path=path))
    slots = records.filter(pl.col("key") == "0")["slots"].to_list()[0]
    assert slots == [{"type": "time", "value": "five am", "start": 14, "end": 21}]


def test_single_parquet_file(tarball: Path, tmp_path: Path) -> None:
    out = tmp_path / "all.parquet"
    assert invoke("datasets", "massive", str(tarball), "--out", str(out)).exit_code == 0
    frame = pl.read_parquet(out)
    assert frame.height == 9 and frame.filter(pl.col("locale") == "de-DE").height == 3


# ------------------------------------------------------------------------------ bad input


def _error(*args: str) -> str:
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    return lines[0]


def test_corrupt_tarball(tarball: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.tar.gz"
    broken.write_bytes(tarball.read_bytes()[: len(tarball.read_bytes()) // 2])
    assert "not a readable tar archive" in _error("datasets", "massive", str(broken))


def test_not_a_tarball_at_all(tmp_path: Path) -> None:
    junk = tmp_path / "massive.tar.gz"
    junk.write_bytes(b"this is not an archive\n" * 20)
    assert "not a readable tar archive" in _error("datasets", "massive", str(junk))


def test_tarball_without_locale_files(tmp_path: Path) -> None:
    other = _tarball(tmp_path / "other.tar.gz", {"README.md": b"hello\n"})
    assert "no <locale>.jsonl members" in _error("datasets", "massive", str(other))


def test_folder_without_jsonl_files(tmp_path: Path) -> None:
    (tmp_path / "empty" / "data").mkdir(parents=True)
    (tmp_path / "empty" / "data" / "notes.txt").write_text("nothing here")
    message = _error("datasets", "massive", str(tmp_path / "empty"))
    assert "no <locale>.jsonl files" in message and "1.1/data" in message


def test_missing_path() -> None:
    assert "no such file or folder" in _error("datasets", "massive", "/nonexistent/massive.tar.gz")


def test_bad_json_line_is_named_with_its_line(tmp_path: Path) -> None:
    root = _folder(tmp_path / "m")
    path = root / "de-DE.jsonl"
    path.write_bytes(path.read_bytes() + b'{"id": "9", "utt": "kaputt\n')
    message = _error("datasets", "massive", str(root))
    assert "de-DE.jsonl:4: invalid JSON" in message


@pytest.mark.parametrize(
    ("record", "needle"),
    [
        ({"id": "9", "locale": "de-DE", "partition": "train", "scenario": "a", "intent": "a_b"}, "has no 'utt'"),
        (
            {"id": "9", "locale": "de-DE", "partition": "validation", "scenario": "a", "intent": "a_b", "utt": "x"},
            "partition 'validation' is not one of train, dev, test",
        ),
        (
            {"id": "9", "locale": "fr-FR", "partition": "train", "scenario": "a", "intent": "a_b", "utt": "x"},
            "record of locale 'fr-FR' in the file of de-DE",
        ),
    ],
)
def test_records_that_are_not_massive(tmp_path: Path, record: dict, needle: str) -> None:
    root = _folder(tmp_path / "m")
    path = root / "de-DE.jsonl"
    path.write_bytes(path.read_bytes() + json.dumps(record).encode() + b"\n")
    message = _error("datasets", "massive", str(root))
    assert "de-DE.jsonl:4:" in message and needle in message


def test_unknown_locale_asked_for(tarball: Path) -> None:
    assert "no records for xx-YY" in _error("datasets", "massive", str(tarball), "--locales", "en-US,xx-YY")


def test_out_format_conflict(tarball: Path, tmp_path: Path) -> None:
    message = _error("datasets", "massive", str(tarball), "--out", str(tmp_path / "a.parquet"), "--format", "jsonl")
    assert "names a .parquet file but --format is jsonl" in message

