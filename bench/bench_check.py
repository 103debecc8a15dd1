"""How fast ``locale-guard check`` is at MASSIVE scale, check by check, against a per-record baseline.

For each N (``--n``, repeatable; default 100,000 and 1,000,000) this one run

1. generates N MASSIVE-format records in the 52 locales if ``bench/out/massive-<N>-seed<S>.jsonl``
   is missing (``generate_massive.py``: real text from ``../shared/corpora``, resampled);
2. times the whole ``locale-guard check FILE --format json -o …`` in a fresh child process
   (imports, reading, every check, the JSON report): wall and CPU seconds, records/s and the
   child's own peak RSS;
3. in this process: reads the file (timed), runs every check of ``all_checks()`` once on a
   seeded sample of ``--baseline-sample`` records (this loads spaCy, lingua and the packs, so
   the timed runs below compare warm code with warm code, and gives the sample findings), then
   times every check on all N records: wall and CPU seconds, records/s, peak RSS (reset before
   each step through ``/proc/self/clear_refs``), share of the checks' total, findings per rule.
   Time spent inside language identification (``langid.screen_and_confirm``) is measured
   apart and reported as a share of the whole run;
4. runs the baseline (``bench/baseline_checks.py``: a Python loop over the records, the same
   packs, segmenters and detectors) on the sample: first on one record per locale and kind
   (its set-up: matchers, lemma dicts, detectors), then timed on the sample; its time for N is
   set-up + loop × N / sample, and the findings per rule are put next to ours on the sample.

Then, once per run:

5. a PO catalog built from the MASSIVE records (msgid: the en-US utterance with its
   ``[slot : value]`` brackets turned into ``{slot}``; msgstr: a target utterance with the same
   slot types, written the same way; a known share of entries get a dropped, renamed, extra
   or lost repeated placeholder) is checked by translate-toolkit's ``pofilter
   --test=pythonbraceformat`` and by ``locale-guard check --select placeholders``, both in
   fresh processes, timed, and their flagged entries compared with what was planted;
6. a 5,000-string × 10-locale JSON catalog (each language's Home Assistant responses and
   test sentences, repeated only where a language has fewer than 5,000) is checked from a cold start three times (``locale-guard check DIR``, each in a
   fresh process): all three times and the best; then steps 3-4 run on it too, since MASSIVE
   has no responses and the formality, formatting and placeholder rules only judge responses;
7. ``locale-guard --help`` is run in a fresh process, which must not import torch or
   transformers; its time and ``-X importtime`` total are reported.

``--write-results`` writes the Markdown to ``bench/RESULTS.md`` (with the machine, the date and
the command); it is always printed. Usage::

    python bench/bench_check.py --n 100000 --write-results
    python bench/bench_check.py --n 10000 --baseline-sample 2000 --no-cold-start --no-pofilter
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gc
import json
import os
import platform
import random
import re
import resource
import shlex
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

try:  # run as ``python -m bench.bench_check`` or as ``python bench/bench_check.py``
    from bench.measuring import load_average, peak_mb, pin, reset_peak
except ImportError:  # pragma: no cover - depends on how it is started
    from measuring import load_average, peak_mb, pin, reset_peak  # type: ignore[no-redef]

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
RESULTS = HERE / "RESULTS.md"
DEFAULT_CORPORA = ROOT.parent / "shared" / "corpora"

#: the issue's targets
TARGET_SECONDS_1M = 60.0
TARGET_MB = 2048.0
TARGET_SPEEDUP = 10.0
TARGET_COLD_SECONDS = 5.0
#: RESULTS.md keeps what follows this line when rewritten (analysis written by people)
NOTES_MARKER = "<!-- notes: kept when this file is rewritten -->"

#: the cold-start catalog: Home Assistant response folder → locale
CATALOG_LANGUAGES = {
    "en": "en-US", "de": "de-DE", "fr": "fr-FR", "es": "es-ES", "it": "it-IT",
    "nl": "nl-NL", "pl": "pl-PL", "pt": "pt-PT", "ru": "ru-RU", "ja": "ja-JP",
}

#: target locales of the PO catalog, where the generated data has text of the language itself
PO_LOCALES = ("de-DE", "fr-FR", "es-ES", "it-IT", "nl-NL", "pl-PL", "pt-PT", "ru-RU", "ja-JP")

#: runs the CLI in a child and prints the child's own peak RSS last: VmHWM of its own address
#: space. Neither ``RUSAGE_CHILDREN`` nor the child's ``RUSAGE_SELF`` will do: Linux carries
#: ``ru_maxrss`` across exec, so both count this large process as it was at the fork.
_LAUNCHER = """
import sys
sys.argv[0] = "locale-guard"
from locale_guard.cli import main
try:
    main()
finally:
    with open("/proc/self/status") as status:
        hwm = next((line.split()[1] for line in status if line.startswith("VmHWM:")), "0")
    print(f"peak-rss-kb {hwm}", file=sys.stderr)
"""




# ================================================================================ measuring






def timed(fn: Callable[[], Any]) -> tuple[dict[str, Any], Any]:
    """Run ``fn``; wall and CPU seconds, peak RSS since the reset, and an error if it failed."""
    gc.collect()
    reset = reset_peak()
    started, cpu = time.perf_counter(), time.process_time()
    error = None
    result = None
    try:
        result = fn()
    except Exception as exc:  # a failing check is reported in the table, not the end of the run
        error = f"{type(exc).__name__}: {exc}".splitlines()[0][:200]
        traceback.print_exc(file=sys.stderr)
    return {
        "seconds": time.perf_counter() - started,
        "cpu": time.process_time() - cpu,
        "peak_mb": peak_mb(),
        "peak_reset": reset,
        "error": error,
    }, result


def child(args: list[str], *, cwd: Path = ROOT) -> dict[str, Any]:
    """``locale-guard ARGS`` in a fresh process: wall/CPU seconds, its peak RSS, its output."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _LAUNCHER, *args], capture_output=True, text=True, cwd=cwd)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    found = re.search(r"peak-rss-kb (\d+)", done.stderr)
    peak_kb = int(found.group(1)) if found else 0
    return {
        "seconds": seconds,
        "cpu": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
        "peak_mb": peak_kb / (1024 * 1024) if sys.platform == "darwin" else peak_kb / 1024,
        "returncode": done.returncode,
        "stdout": done.stdout,
        "stderr": done.stderr,
    }


@contextlib.contextmanager
def langid_clock() -> Iterator[dict[str, float]]:
    """Seconds spent inside ``langid.screen_and_confirm`` (every detector call of the language
    check goes through it) while the block runs."""
    from locale_guard import langid

    spent = {"seconds": 0.0, "calls": 0}
    original = langid.screen_and_confirm

    def clocked(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent["seconds"] += time.perf_counter() - started
            spent["calls"] += 1

    langid.screen_and_confirm = clocked
    try:
        yield spent
    finally:
        langid.screen_and_confirm = original


# ==================================================================================== data


def massive_file(n: int, seed: int) -> Path:
    path = OUT / f"massive-{n}-seed{seed}.jsonl"
    if not path.exists():
        from generate_massive import generate

        started = time.perf_counter()
        generate(n, path, seed)
        print(f"generated {path} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return path


_SLOT = re.compile(r"\[\s*([^\[\]:\s][^\[\]:]*?)\s*:[^\[\]]*\]")


def _templated(annot: str) -> tuple[str, tuple[str, ...]]:
    """``wake me at [time : five]`` → (``wake me at {time}``, (time,))."""
    slots = tuple(m.group(1) for m in _SLOT.finditer(annot))
    return _SLOT.sub(lambda m: "{" + m.group(1) + "}", annot), slots


def _po_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t") + '"'


def build_po_catalog(massive: Path, out: Path, per_locale: int, seed: int) -> dict[str, Any]:
    """PO files (``out/<locale>.po``) pairing en-US utterances with target utterances that
    annotate the same slot types, with planted placeholder defects; returns what was planted."""
    import polars as pl

    rng = random.Random(seed)
    frame = pl.read_ndjson(massive, schema={c: pl.String for c in ("locale", "utt", "annot_utt")}).drop_nulls()
    rows = [(loc, *_templated(annot)) for loc, annot in frame.select("locale", "annot_utt").iter_rows()]
    sources: dict[tuple[str, ...], list[str]] = {}
    for loc, text, slots in rows:
        if loc == "en-US" and slots:
            sources.setdefault(tuple(sorted(slots)), []).append(text)
    targets: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for loc, text, slots in rows:
        if loc != "en-US" and slots and tuple(sorted(slots)) in sources:
            targets.setdefault(loc, []).append((text, tuple(sorted(slots))))
    # translations into languages the data really has (not en-US text relabelled), as on a real team
    usable = {loc for loc, found in targets.items() if len(found) >= 50}
    locales = [loc for loc in PO_LOCALES if loc in usable] or sorted(usable)[:9]
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.po"):
        old.unlink()
    planted: Counter[str] = Counter()
    entries = 0
    for locale in locales:
        lines = ['msgid ""', 'msgstr ""', '"Content-Type: text/plain; charset=UTF-8\\n"', f'"Language: {locale.replace("-", "_")}\\n"', ""]
        for written in range(per_locale):
            # a target utterance, and an en-US one that annotates the same slot types
            msgstr, signature = rng.choice(targets[locale])
            msgid = rng.choice(sources[signature])
            roll = rng.random()
            names = re.findall(r"\{([^{}]+)\}", msgstr)
            dropped = msgstr.replace("{" + names[0] + "}", "", 1) if names else ""
            if roll < 0.02 and dropped.strip():  # a placeholder dropped (an empty msgstr is untranslated)
                msgstr = dropped
                planted["dropped" if names.count(names[0]) == 1 else "one of a repeated one dropped"] += 1
            elif roll < 0.03 and names:  # renamed, as a translator might
                msgstr = msgstr.replace("{" + names[0] + "}", "{" + names[0] + "_x}", 1)
                planted["renamed"] += 1
            elif roll < 0.04:  # one the source does not have
                msgstr = msgstr + " {extra}"
                planted["extra"] += 1
            elif roll < 0.05 and names:  # the source names it twice, the translation once
                msgid = f"{msgid} ({{{names[0]}}})"
                planted["one of a repeated one dropped"] += 1
            lines += [f'msgctxt "m{written}"', f"msgid {_po_quote(msgid)}", f"msgstr {_po_quote(msgstr)}", ""]
        (out / f"{locale}.po").write_text("\n".join(lines), encoding="utf-8")
        entries += per_locale
    return {"locales": locales, "entries": entries, "planted": dict(planted), "path": out}


def _ha_responses(folder: Path) -> dict[str, str]:
    """``intent.key`` → response template of one Home Assistant language folder."""
    import yaml

    found: dict[str, str] = {}
    for path in sorted(folder.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        intents = ((data.get("responses") or {}).get("intents")) or {}
        for intent, keys in intents.items():
            for key, text in (keys or {}).items():
                if isinstance(text, str) and text.strip():
                    found[f"{intent}.{key}"] = text
    return found


def _ha_test_strings(folder: Path) -> list[str]:
    """Sentences and rendered responses of one Home Assistant language's intent tests."""
    import yaml

    found: dict[str, None] = {}
    for path in sorted(folder.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for test in data.get("tests") or []:
            response = test.get("response")
            texts = [*(test.get("sentences") or []), *(response if isinstance(response, list) else [response])]
            found.update((t, None) for t in texts if isinstance(t, str) and t.strip())
    return list(found)


def build_catalog(corpora: Path, out: Path, strings: int, seed: int) -> dict[str, Any]:
    """``out/<locale>.json``: ``strings`` keys in 10 locales, real strings of each language.

    Each locale's strings are its Home Assistant response templates, then its test sentences
    and rendered responses, shuffled, repeated only when the language has fewer than
    ``strings`` (Japanese has 86): a real catalog says different things under different keys,
    and a catalog of a few dozen strings repeated would flatter work done once per text.
    Keys are shared, so coverage sees aligned catalogs; texts are not translations of each other.
    """
    responses = corpora / "ha-intents" / "responses"
    tests = corpora / "ha-intents" / "tests"
    if not responses.is_dir():
        raise SystemExit(f"{responses} not found: pass --corpora")
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    total = 0
    distinct: dict[str, int] = {}
    for lang, locale in CATALOG_LANGUAGES.items():
        pool = list(dict.fromkeys([*_ha_responses(responses / lang).values(), *_ha_test_strings(tests / lang)]))
        if not pool:
            continue
        rng.shuffle(pool)
        catalog = {f"assistant.k{i:05d}": pool[i % len(pool)] for i in range(strings)}
        (out / f"{locale}.json").write_text(json.dumps(catalog, ensure_ascii=False, indent=1), encoding="utf-8")
        total += len(catalog)
        distinct[locale] = min(len(pool), strings)
    return {
        "locales": sorted(distinct), "strings": total, "path": out,
        "distinct": sum(distinct.values()), "distinct_by_locale": distinct, "requested": strings,
    }


# ============================================================================ ours, in here


def sample_frame(records: Any, k: int, seed: int) -> Any:
    return records if k >= records.height else records.sample(n=k, seed=seed, shuffle=False)


def setup_rows(sample: Any) -> Any:
    """One record per locale and kind: enough for a baseline to build what it builds once."""
    import polars as pl

    return sample.filter(pl.int_range(pl.len()).over("locale", "kind") == 0)


def check_context(files: Any, config: Any, source: str | None) -> Any:
    from locale_guard.checks import CheckContext

    return CheckContext(config=config, source_locale=source, files=files)


def rule_counts(findings: Any) -> dict[str, int]:
    if findings is None or findings.height == 0:
        return {}
    return dict(sorted(findings.group_by("rule").len().iter_rows()))


def bench_dataset(path: Path, args: argparse.Namespace, label: str) -> dict[str, Any]:
    """Steps 2-4 of the module docstring for one input (a file or a catalog folder)."""
    import polars as pl

    from locale_guard.checks import all_checks
    from locale_guard.config import load_config
    from locale_guard.engine import RunOptions, pair_with_source, read_inputs, resolve_source_locale

    result: dict[str, Any] = {"label": label, "path": path}
    files_in = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    result["size_mb"] = sum(p.stat().st_size for p in files_in) / 1e6
    # -- the whole command, first, while this process is small
    if not args.no_whole:
        with tempfile.TemporaryDirectory() as tmp:
            report = Path(tmp) / "report.json"
            run = child(["check", str(path), "--format", "json", "-o", str(report), "--fail-on", "never"])
            summary = json.loads(report.read_text(encoding="utf-8"))["summary"] if report.exists() else {}
        run["summary"] = summary
        run["command"] = f"locale-guard check {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path} --format json -o report.json"
        if run["returncode"] not in (0, 1):
            run["error"] = run["stderr"].strip().splitlines()[-2:] if run["stderr"].strip() else ["no output"]
        result["whole"] = run
        print(f"[{label}] whole check: {run['seconds']:.1f} s, {run['peak_mb']:,.0f} MB", file=sys.stderr)
    # -- reading
    config = load_config(None, start=path if path.is_dir() else path.parent)
    step, got = timed(lambda: read_inputs(RunOptions(paths=[path]), config))
    records, files, errors, _ = got
    source = resolve_source_locale(records["locale"].drop_nulls().unique().to_list(), config.source_locale)
    records = pair_with_source(records, source)
    step.update(name="read", records=records.height, findings={})
    result["records"] = records.height
    result["distinct_texts"] = records.select("locale", "text").n_unique()
    result["locales"] = records["locale"].n_unique()
    result["read_errors"] = [e.describe() for e in errors][:3]
    checks = {name: check for name, check in all_checks().items() if name != "classifier" and (not args.checks or name in args.checks)}
    sample = sample_frame(records, args.baseline_sample, args.seed)
    result["sample"] = sample.height
    # -- warm-up on the sample: models and packs loaded, and our findings on the sample
    ours_sample: dict[str, dict[str, int]] = {}
    warm_seconds: dict[str, float] = {}
    for name, check in checks.items():
        ctx = check_context(files, config, source)
        info, found = timed(lambda check=check, ctx=ctx: check.run(sample, ctx))
        ours_sample[name] = rule_counts(found) if info["error"] is None else {"error": info["error"]}
        warm_seconds[name] = info["seconds"]
    print(f"[{label}] warm-up on {sample.height:,} records: {sum(warm_seconds.values()):.1f} s", file=sys.stderr)
    # -- every check on all records
    steps = [step]
    langid_seconds = 0.0
    for name, check in checks.items():
        ctx = check_context(files, config, source)
        with langid_clock() as clock:
            info, found = timed(lambda check=check, ctx=ctx: check.run(records, ctx))
        info.update(name=name, records=records.height, findings=rule_counts(found), langid=clock["seconds"])
        langid_seconds += clock["seconds"]
        steps.append(info)
        print(f"[{label}] {name}: {info['seconds']:.2f} s{' ' + info['error'] if info['error'] else ''}", file=sys.stderr)
    result["steps"] = steps
    result["langid_seconds"] = langid_seconds
    # -- the baseline
    if not args.no_baseline:
        import baseline_checks

        base: dict[str, dict[str, Any]] = {}
        setup = setup_rows(sample)
        for name in checks:
            if name not in baseline_checks.BASELINES:
                continue
            cache: dict[str, Any] = {}
            ctx = check_context(files, config, source)
            prep, _ = timed(lambda name=name, ctx=ctx, cache=cache: baseline_checks.run_baseline(name, setup, ctx, cache))
            ctx = check_context(files, config, source)
            info, found = timed(lambda name=name, ctx=ctx, cache=cache: baseline_checks.run_baseline(name, sample, ctx, cache))
            scale = records.height / sample.height if sample.height else 1.0
            info.update(
                setup=prep["seconds"],
                estimate=prep["seconds"] + info["seconds"] * scale,
                findings=baseline_checks.counts_by_rule(found or []) if info["error"] is None else {"error": info["error"]},
                scaled=scale > 1.0,
            )
            if prep["error"] and not info["error"]:
                info["error"] = f"set-up: {prep['error']}"
            base[name] = info
            print(f"[{label}] baseline {name}: {info['seconds']:.2f} s on {sample.height:,}", file=sys.stderr)
        result["baseline"] = base
        result["ours_sample"] = ours_sample
    result["polars_threads"] = pl.thread_pool_size()
    return result


# ====================================================================== pofilter, cold start


def bench_po(massive: Path, args: argparse.Namespace) -> dict[str, Any]:
    import polib

    built = build_po_catalog(massive, OUT / "po-massive", args.po_entries, args.seed)
    path: Path = built["path"]
    result: dict[str, Any] = {**built}
    if not built["entries"]:
        result["skipped"] = f"{massive.name} has too few slot-annotated utterances to pair into a PO catalog"
        return result
    pofilter = Path(sys.executable).with_name("pofilter")
    if not pofilter.exists():
        result["pofilter_error"] = "pofilter not installed (pip install 'locale-guard[bench]')"
    else:
        with tempfile.TemporaryDirectory() as tmp:
            target = Path(tmp) / "flagged"
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            done = subprocess.run(
                [str(pofilter), "--progress=none", "--test=pythonbraceformat", str(path), str(target)],
                capture_output=True, text=True,
            )
            seconds = time.perf_counter() - started
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            flagged = sum(len([e for e in polib.pofile(str(p)) if e.msgid]) for p in target.glob("*.po"))
            result["pofilter"] = {
                "seconds": seconds,
                "cpu": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
                "flagged": flagged,
                "returncode": done.returncode,
                "command": "pofilter --test=pythonbraceformat bench/out/po-massive OUT",
            }
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "po.json"
        run = child(["check", str(path), "--select", "placeholders", "--format", "json", "-o", str(report), "--fail-on", "never"])
        data = json.loads(report.read_text(encoding="utf-8")) if report.exists() else {"findings": []}
    ids = {(f["path"], f.get("line")) for f in data["findings"] if f["check"] == "placeholders"}
    run.update(
        flagged=len(ids),
        by_rule=dict(Counter(f["rule"] for f in data["findings"])),
        command="locale-guard check bench/out/po-massive --select placeholders --format json -o po.json",
    )
    result["ours"] = run
    return result


def bench_cold_start(args: argparse.Namespace) -> dict[str, Any]:
    built = build_catalog(args.corpora, OUT / f"catalog-{args.catalog_strings}x10", args.catalog_strings, args.seed)
    runs = []
    for _ in range(3):
        run = child(["check", str(built["path"]), "--format", "json", "-o", os.devnull, "--fail-on", "never"])
        runs.append(run)
    built["runs"] = [{k: r[k] for k in ("seconds", "cpu", "peak_mb", "returncode")} for r in runs]
    built["command"] = f"locale-guard check bench/out/{built['path'].name} --format json -o /dev/null"
    return built


_IMPORTS = """
import json, sys, time
started = time.perf_counter()
from click.testing import CliRunner
from locale_guard.cli import cli
result = CliRunner().invoke(cli, ["--help"])
print(json.dumps({"seconds": time.perf_counter() - started, "exit": result.exit_code,
                  "heavy": [m for m in ("torch", "transformers", "streamlit", "spacy", "lingua") if m in sys.modules],
                  "modules": len(sys.modules)}))
"""


def bench_imports() -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-c", _IMPORTS], capture_output=True, text=True, cwd=ROOT)
    info = json.loads(done.stdout.strip().splitlines()[-1]) if done.returncode == 0 else {"error": done.stderr[-500:]}
    timing = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import locale_guard.cli"], capture_output=True, text=True, cwd=ROOT
    )
    total = 0
    for line in timing.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[2].strip() == "locale_guard.cli":
            total = int(parts[1].strip())
    info["import_cli_ms"] = total / 1000
    return info


# ================================================================================= writing


def _machine() -> list[str]:
    import polars as pl

    cores = os.cpu_count()
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cores
    ram = "n/a"
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return [
        f"- CPU: {cpu}, {cores} logical CPUs ({usable} used by this run); RAM {ram}",
        f"- {platform.platform()}; Python {platform.python_version()}; polars {pl.__version__} "
        f"({pl.thread_pool_size()} threads)",
    ]


def _tree() -> str:
    """The commit measured, and whether the working tree differed from it (read-only git)."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT, check=True)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True, cwd=ROOT)
    except (OSError, subprocess.CalledProcessError):
        return "not a git checkout"
    return head.stdout.strip() + (" with uncommitted changes" if dirty.stdout.strip() else "")




def _n(x: float) -> str:
    return f"{x:,.0f}"


def _s(x: float) -> str:
    return f"{x:,.2f}" if x < 100 else f"{x:,.1f}"


def dataset_section(r: dict[str, Any]) -> list[str]:
    n = r["records"]
    lines = [
        f"## {r['label'][:1].upper()}{r['label'][1:]}",
        "",
        f"`{r['path'].relative_to(ROOT) if r['path'].is_relative_to(ROOT) else r['path']}`: {n:,} records, "
        f"{r['locales']} locales, {r['size_mb']:.0f} MB; {r['distinct_texts']:,} distinct (locale, text) pairs "
        f"({100 * r['distinct_texts'] / max(n, 1):.0f}%).",
        "",
    ]
    whole = r.get("whole")
    if whole:
        s = whole["summary"]
        lines += [
            "### The whole `locale-guard check`, in a fresh process",
            "",
            "| command | seconds | CPU seconds | records/s | peak RSS (MB) | findings |",
            "|---|---:|---:|---:|---:|---:|",
            f"| `{whole['command']}` | {_s(whole['seconds'])} | {_s(whole['cpu'])} | {_n(n / whole['seconds'])} | "
            f"{_n(whole['peak_mb'])} | {s.get('findings', 'n/a')} |",
            "",
            f"Findings by check: {', '.join(f'{k} {v:,}' for k, v in (s.get('by_check') or {}).items()) or 'none'}.",
            "",
        ]
        if whole.get("error"):
            lines += [f"The command failed (exit {whole['returncode']}): {' / '.join(whole['error'])}", ""]
    steps = r["steps"]
    base = r.get("baseline", {})
    checks_total = sum(st["seconds"] for st in steps if st["name"] != "read")
    lines += [
        "### Each check, in this process (warm: models and packs loaded by a first pass over the sample)",
        "",
        "| step | seconds | CPU seconds | records/s | share of checks | peak RSS (MB) | findings | "
        "baseline seconds | baseline records/s | ours vs baseline |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    base_total = 0.0
    for st in steps:
        found = f"{sum(v for v in st['findings'].values() if isinstance(v, int)):,}" if st["name"] != "read" else ""
        share = "" if st["name"] == "read" else f"{100 * st['seconds'] / checks_total:.1f}%" if checks_total else ""
        b = base.get(st["name"])
        if b and not b.get("error"):
            base_total += b["estimate"]
            est = f"{_s(b['estimate'])}{'*' if b['scaled'] else ''}"
            brate = _n(n / b["estimate"]) if b["estimate"] else "n/a"
            ratio = f"{b['estimate'] / st['seconds']:.1f}x faster" if st["seconds"] else "n/a"
        elif b:
            est, brate, ratio = f"failed: {b['error']}", "", ""
        else:
            est, brate, ratio = "", "", ""
        name = st["name"] if not st.get("error") else f"{st['name']} (failed: {st['error']})"
        lines.append(
            f"| {name} | {_s(st['seconds'])} | {_s(st['cpu'])} | {_n(n / st['seconds']) if st['seconds'] else 'n/a'} | "
            f"{share} | {_n(st['peak_mb'])}{'' if st['peak_reset'] else ' (cumulative)'} | {found} | {est} | {brate} | {ratio} |"
        )
    compared = [st for st in steps if st["name"] in base and not base[st["name"]].get("error")]
    ours_total = sum(st["seconds"] for st in compared)
    ratio = f"{base_total / ours_total:.1f}x faster" if base and ours_total else ""
    lines.append(
        f"| **all checks** | {_s(checks_total)} | {_s(sum(st['cpu'] for st in steps if st['name'] != 'read'))} | "
        f"{_n(n / checks_total) if checks_total else 'n/a'} | 100% | | | {_s(base_total) + '*' if base else ''} | "
        f"{_n(n / base_total) if base_total else ''} | {ratio} |"
    )
    if base:
        sample = r["sample"]
        setup = sum(b["setup"] for b in base.values())
        lines += [
            "",
            f"\\* Baseline (`bench/baseline_checks.py`: a Python loop over the records, same packs, segmenters "
            f"and detectors) timed on a seeded sample of {sample:,} records, after a set-up pass on one record per "
            f"locale and kind ({_s(setup)} s in all, counted once), and extrapolated linearly to {n:,} records: "
            "set-up + loop × N / sample. Ours ran on all records."
            if sample < n else
            f"Baseline timed on all {n:,} records after a set-up pass ({_s(setup)} s in all, included).",
        ]
        from baseline_checks import LIMITS

        limits = [f"{k}: {v}" for k, v in LIMITS.items() if k in base]
        if limits:
            lines += ["", "The baseline leaves out: " + "; ".join(limits) + "."]
    lid = r.get("langid_seconds", 0.0)
    lang = next((st for st in steps if st["name"] == "language"), None)
    if lang:
        whole_s = whole["seconds"] if whole else 0
        lines += [
            "",
            f"Language identification (detector calls through `langid.screen_and_confirm`): {_s(lid)} s, "
            f"{100 * lid / checks_total:.1f}% of the checks' time here"
            + (f" and about {100 * lid / whole_s:.1f}% of the whole command's {_s(whole_s)} s" if whole_s else "")
            + f"; the language check as a whole: {100 * lang['seconds'] / checks_total:.1f}% of the checks' time.",
        ]
    if base:
        ours_sample = r["ours_sample"]
        lines += [
            "",
            f"### Findings on the same {r['sample']:,} records: ours and the baseline",
            "",
            "| check | rule | ours | baseline | difference |",
            "|---|---|---:|---:|---:|",
        ]
        for name in base:
            ours = ours_sample.get(name, {})
            theirs = base[name]["findings"]
            rules = sorted(set(ours) | set(theirs))
            if not rules:
                lines.append(f"| {name} | (none) | 0 | 0 | 0 |")
            for rule in rules:
                a, b = ours.get(rule, 0), theirs.get(rule, 0)
                if isinstance(a, str) or isinstance(b, str):
                    lines.append(f"| {name} | {rule} | {a} | {b} | |")
                    continue
                lines.append(f"| {name} | {rule} | {a:,} | {b:,} | {b - a:+,} |")
    lines.append("")
    return lines


def po_section(po: dict[str, Any]) -> list[str]:
    if po.get("skipped"):
        return ["## Placeholders in a PO catalog: locale-guard and pofilter", "", f"Skipped: {po['skipped']}.", ""]
    planted = po["planted"]
    flagged_by_both = sum(v for k, v in planted.items() if k != "one of a repeated one dropped")
    lines = [
        "## Placeholders in a PO catalog: locale-guard and pofilter on the same files",
        "",
        f"`bench/out/po-massive/`: {po['entries']:,} entries in {len(po['locales'])} locales "
        f"({', '.join(po['locales'])}); msgid is an en-US MASSIVE utterance with its slots as `{{slot}}`, msgstr a "
        "target utterance annotating the same slot types. Planted: "
        + ", ".join(f"{v:,} {k}" for k, v in sorted(planted.items()))
        + f" ({sum(planted.values()):,} entries).",
        "",
        "| tool | seconds (fresh process) | CPU seconds | entries/s | entries flagged |",
        "|---|---:|---:|---:|---:|",
    ]
    ours = po["ours"]
    lines.append(
        f"| `{ours['command']}` | {_s(ours['seconds'])} | {_s(ours['cpu'])} | {_n(po['entries'] / ours['seconds'])} | {ours['flagged']:,} |"
    )
    pf = po.get("pofilter")
    if pf:
        lines.append(
            f"| `{pf['command']}` | {_s(pf['seconds'])} | {_s(pf['cpu'])} | {_n(po['entries'] / pf['seconds'])} | {pf['flagged']:,} |"
        )
        faster = "locale-guard" if ours["seconds"] < pf["seconds"] else "pofilter"
        ratio = max(ours["seconds"], pf["seconds"]) / min(ours["seconds"], pf["seconds"])
        lines += [
            "",
            f"Ratio: locale-guard / pofilter time = {ours['seconds'] / pf['seconds']:.2f} ({faster} is {ratio:.1f}× "
            "faster), both timed as whole commands, interpreter start-up included.",
            f"locale-guard findings by rule: {', '.join(f'{k} {v:,}' for k, v in sorted(ours['by_rule'].items()))}. "
            f"pofilter's pythonbraceformat compares the *sets* of names, so it cannot see a repeated placeholder "
            f"that lost one copy ({planted.get('one of a repeated one dropped', 0):,} planted); of the other "
            f"{flagged_by_both:,} planted defects both should flag every one.",
        ]
    else:
        lines += ["", f"pofilter: {po.get('pofilter_error')}"]
    lines.append("")
    return lines


def cold_section(cold: dict[str, Any], imports: dict[str, Any]) -> list[str]:
    times = [r["seconds"] for r in cold["runs"]]
    best = min(times)
    lines = [
        f"## Cold start: a {cold['requested']:,}-string × 10-locale catalog",
        "",
        f"`bench/out/{cold['path'].name}/`: {cold['strings']:,} strings in {len(cold['locales'])} locales "
        f"({', '.join(cold['locales'])}): each locale's Home Assistant responses and test sentences ({cold['distinct']:,} distinct strings; "
        + ", ".join(f"{k} {v:,}" for k, v in cold['distinct_by_locale'].items()) + "), repeated only where a language has fewer. "
        f"`{cold['command']}`, each run in a fresh process:",
        "",
        "| run | seconds | CPU seconds | peak RSS (MB) | exit |",
        "|---|---:|---:|---:|---:|",
    ]
    for i, r in enumerate(cold["runs"], 1):
        lines.append(f"| {i} | {_s(r['seconds'])} | {_s(r['cpu'])} | {_n(r['peak_mb'])} | {r['returncode']} |")
    lines += [
        "",
        f"Best of three: {_s(best)} s (target ≤ {TARGET_COLD_SECONDS:.0f} s: {'met' if best <= TARGET_COLD_SECONDS else 'not met'}).",
        "",
        f"`locale-guard --help` in a fresh process: {_s(imports.get('seconds', float('nan')))} s, "
        f"{imports.get('modules', 'n/a')} modules imported; heavy packages imported: "
        f"{', '.join(imports.get('heavy', [])) or 'none'} (torch and transformers must not be). "
        f"`python -X importtime -c 'import locale_guard.cli'`: {imports.get('import_cli_ms', 0):.0f} ms cumulative.",
        "",
    ]
    return lines


def one_million(data: list[dict[str, Any]]) -> tuple[float, str] | None:
    """Seconds for 1M records of the whole command: measured, fitted through two sizes, or a
    linear upper bound from one (the start-up cost is scaled along with the per-record cost)."""
    runs = sorted((r["records"], r["whole"]["seconds"]) for r in data if r.get("whole") and r.get("massive"))
    if not runs:
        return None
    exact = [s for n, s in runs if n == 1_000_000]
    if exact:
        return exact[0], "measured"
    if len(runs) >= 2 and runs[-1][0] != runs[0][0]:
        (n0, s0), (n1, s1) = runs[0], runs[-1]
        slope = (s1 - s0) / (n1 - n0)
        return s0 + slope * (1_000_000 - n0), f"fitted through {n0:,} and {n1:,} records"
    n, seconds = runs[-1]
    return seconds / n * 1_000_000, f"linear upper bound from {n:,} records, start-up included"


def targets_section(data: list[dict[str, Any]], cold: dict[str, Any] | None, imports: dict[str, Any] | None) -> list[str]:
    lines = ["## Targets (issue 9)", "", "| target | measured | met |", "|---|---|---|"]
    estimate = one_million(data)
    if estimate:
        seconds, how = estimate
        lines.append(
            f"| 1M records, all rule checks, ≤ {TARGET_SECONDS_1M:.0f} s on 2 cores | {_s(seconds)} s ({how}) | "
            f"{'yes' if seconds <= TARGET_SECONDS_1M else 'no'} |"
        )
    for r in data:
        whole = r.get("whole")
        if whole:
            lines.append(
                f"| ≤ 2 GB peak RSS | {_n(whole['peak_mb'])} MB for {r['records']:,} records | "
                f"{'yes' if whole['peak_mb'] <= TARGET_MB else 'no'} |"
            )
    for r in data:
        base = r.get("baseline")
        if base:
            compared = [st for st in r["steps"] if st["name"] in base and not base[st["name"]].get("error")]
            ours = sum(st["seconds"] for st in compared)
            theirs = sum(base[st["name"]]["estimate"] for st in compared)
            if ours:
                lines.append(
                    f"| ≥ {TARGET_SPEEDUP:.0f}× the per-record baseline: {r['label']} | {theirs / ours:.1f}× "
                    f"(all checks) | {'yes' if theirs / ours >= TARGET_SPEEDUP else 'no'} |"
                )
    for r in data:
        total = sum(st["seconds"] for st in r["steps"] if st["name"] != "read")
        if any(st["name"] == "language" for st in r["steps"]) and total:
            share = r.get("langid_seconds", 0.0) / total
            lines.append(
                f"| language identification does not dominate: {r['label']} | {100 * share:.1f}% of the checks' time | "
                f"{'yes' if share < 0.5 else 'no'} |"
            )
    if cold:
        best = min(r["seconds"] for r in cold["runs"])
        lines.append(
            f"| {cold['requested']:,}-string × 10-locale catalog from a cold start ≤ {TARGET_COLD_SECONDS:.0f} s | "
            f"{_s(best)} s (best of 3) | {'yes' if best <= TARGET_COLD_SECONDS else 'no'} |"
        )
    if imports:
        heavy = [m for m in imports.get("heavy", []) if m in ("torch", "transformers")]
        lines.append(
            f"| `locale-guard --help` does not import torch | {'imports ' + ', '.join(heavy) if heavy else 'no torch, no transformers'} | "
            f"{'no' if heavy else 'yes'} |"
        )
    lines.append("")
    return lines


def render(data: list[dict[str, Any]], po: dict[str, Any] | None, cold: dict[str, Any] | None,
           imports: dict[str, Any] | None, command: str, started: dt.datetime, load_start: str, tree: str) -> str:
    lines = [
        "# Check speed at MASSIVE scale",
        "",
        "Written by `bench/bench_check.py` (see bench/README.md). Every figure below comes from this one run:",
        "",
        f"- command: `{command}`; tree: {tree}",
        f"- date: {started.isoformat(timespec='seconds')} (took {(dt.datetime.now().astimezone() - started).total_seconds() / 60:.0f} min)",
        *_machine(),
        f"- load average (1/5/15 min) at the start: {load_start}; at the end: {load_average(' / ')} "
        "(other jobs share this machine: CPU seconds are the steadier figure)",
        "",
        "The MASSIVE-format data is real text resampled (`generate_massive.py`): few distinct sentences per "
        "locale, so work done once per distinct text (what locale-guard does) is cheaper here than on the "
        "real release; the baseline does no such de-duplication. The distinct share is given per data set.",
        "",
    ]
    lines += targets_section(data, cold, imports)
    for r in data:
        lines += dataset_section(r)
    if po:
        lines += po_section(po)
    if cold and imports:
        lines += cold_section(cold, imports)
    return "\n".join(lines).rstrip() + "\n"


# ==================================================================================== main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, action="append", help="records (repeatable; default 100000 and 1000000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cores", type=int, default=2, help="CPUs to use, for polars too (default 2)")
    parser.add_argument("--file", type=Path, help="benchmark this MASSIVE file instead of generated ones")
    parser.add_argument("--baseline-sample", type=int, default=20_000, help="records the baseline runs on (default 20,000)")
    parser.add_argument("--no-baseline", action="store_true", help="time our checks only")
    parser.add_argument("--no-whole", action="store_true", help="skip the whole command in a child process")
    parser.add_argument("--checks", nargs="+", help="only these checks (default: all but classifier)")
    parser.add_argument("--po-entries", type=int, default=2000, help="PO entries per target locale (default 2,000)")
    parser.add_argument("--no-pofilter", action="store_true", help="skip the PO catalog comparison")
    parser.add_argument("--catalog-strings", type=int, default=5000, help="strings per locale in the cold-start catalog")
    parser.add_argument("--no-cold-start", action="store_true", help="skip the cold-start catalog and --help checks")
    parser.add_argument(
        "--no-catalog-checks", action="store_true", help="do not also time every check (and the baseline) on the catalog"
    )
    parser.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA, help="folder of the public corpora")
    parser.add_argument("--write-results", nargs="?", const=RESULTS, type=Path, help=f"write the Markdown (default {RESULTS.relative_to(ROOT)})")
    args = parser.parse_args(argv)
    if args.baseline_sample < 1:
        parser.error("--baseline-sample must be at least 1")
    sizes = args.n or [100_000, 1_000_000]
    if any(n < 1 for n in sizes):
        parser.error("--n must be at least 1")
    pin(args.cores)
    sys.path.insert(0, str(HERE))
    started = dt.datetime.now().astimezone()
    load_start = load_average(" / ")
    tree = _tree()
    command = "python bench/bench_check.py " + " ".join(shlex.quote(a) for a in (argv if argv is not None else sys.argv[1:]))
    data = []
    inputs = [(args.file, f"{args.file.name}")] if args.file else [(massive_file(n, args.seed), f"{n:,} MASSIVE-format records") for n in sizes]
    for path, label in inputs:
        if not path.exists():
            parser.error(f"{path}: no such file")
        data.append({**bench_dataset(path, args, label), "massive": True})
    po = None
    if not args.no_pofilter:
        po = bench_po(inputs[0][0], args)
    cold = imports = None
    if not args.no_cold_start:
        cold = bench_cold_start(args)
        imports = bench_imports()
        if not args.no_catalog_checks:
            label = f"the {args.catalog_strings:,}-string × 10-locale catalog, check by check"
            data.append(bench_dataset(cold["path"], argparse.Namespace(**{**vars(args), "no_whole": True}), label))
    text = render(data, po, cold, imports, command, started, load_start, tree)
    print(text)
    if args.write_results:
        # hand-written analysis below the marker survives a re-run
        if args.write_results.exists():
            previous = args.write_results.read_text(encoding="utf-8")
            if NOTES_MARKER in previous:
                text = text.rstrip("\n") + "\n\n" + NOTES_MARKER + previous.split(NOTES_MARKER, 1)[1]
        args.write_results.write_text(text, encoding="utf-8")
        print(f"wrote {args.write_results}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
