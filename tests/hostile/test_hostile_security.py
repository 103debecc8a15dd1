"""Inputs that attack the machine rather than the parser: entity bombs, external entities that
point at local files, YAML tags and alias bombs, symbolic-link loops, devices and FIFOs, and
file names that are not locale tags.

Each runs through the CLI beside a good catalog: exit 2 with one error line naming the file (or,
for names that say no locale, a warning), the good catalog still checked, and never a byte of a
local file's content in stdout or stderr.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from _hostile_formats import write_good_neighbour
from click.testing import CliRunner

from locale_guard.cli import cli

SECRET = "LG-HOSTILE-SECRET-7f3a9c"
TIME_LIMIT = 10.0


def _secret_file(tmp_path: Path) -> Path:
    path = tmp_path / "outside" / "secret.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{SECRET}\n", encoding="utf-8")
    return path


def _check(*paths: Path) -> tuple[int, dict, list[str], str]:
    started = time.monotonic()
    result = CliRunner().invoke(
        cli, ["check", *map(str, paths), "--format", "json", "--select", "placeholders"], catch_exceptions=False
    )
    assert time.monotonic() - started < TIME_LIMIT
    assert "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    return result.exit_code, json.loads(result.stdout), errors, result.output


def _lol_entities(depth: int = 10) -> str:
    entities = ['<!ENTITY lol0 "lol">']
    entities += [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, depth)]
    return "".join(entities)


XML_ATTACKS = {
    "billion-laughs": (f"<!DOCTYPE {{root}} [{_lol_entities()}]>", "&lol9;"),
    "quadratic-blowup": ('<!DOCTYPE {root} [<!ENTITY a "' + "A" * 50_000 + '">]>', "&a;" * 5_000),
    "external-entity-file-url": ('<!DOCTYPE {root} [<!ENTITY x SYSTEM "file://{secret}">]>', "&x;"),
    "external-entity-plain-path": ('<!DOCTYPE {root} [<!ENTITY x SYSTEM "{secret}">]>', "&x;"),
    "parameter-entity": (
        '<!DOCTYPE {root} [<!ENTITY % p SYSTEM "file://{secret}"> %p;]>',
        "x",
    ),
    "external-dtd": ('<!DOCTYPE {root} SYSTEM "file://{secret}">', "x"),
}


def _xml_document(fmt: str, doctype: str, body: str) -> str:
    if fmt == "xliff":
        return (
            f'<?xml version="1.0"?>\n{doctype.replace("{root}", "xliff")}\n'
            '<xliff version="1.2"><file source-language="en" target-language="fr" original="x"><body>'
            f'<trans-unit id="a"><source>s</source><target>{body}</target></trans-unit>'
            "</body></file></xliff>\n"
        )
    return (
        f'<?xml version="1.0"?>\n{doctype.replace("{root}", "resources")}\n'
        f'<resources><string name="a">{body}</string></resources>\n'
    )


@pytest.mark.parametrize("attack", sorted(XML_ATTACKS))
@pytest.mark.parametrize(("fmt", "relpath"), [("xliff", "fr-FR.xlf"), ("android", "values-fr/strings.xml")])
def test_xml_entity_attacks_are_refused_and_leak_nothing(
    tmp_path: Path, fmt: str, relpath: str, attack: str
) -> None:
    secret = _secret_file(tmp_path)
    root = tmp_path / "tree"
    write_good_neighbour(root)
    doctype, body = XML_ATTACKS[attack]
    path = root / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(_xml_document(fmt, doctype.replace("{secret}", str(secret)), body), encoding="utf-8")
    code, report, errors, output = _check(root)
    assert code == 2
    assert [e["path"] for e in report["errors"]] == [str(path)]
    assert len(errors) == 1 and str(path) in errors[0]
    assert SECRET not in output
    assert "lollol" not in output and "AAAA" not in output
    assert report["summary"]["records"] == 2


YAML_ATTACKS = {
    "alias-bomb": "\n".join(
        ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
        + [f"{n}: &{n} [" + ",".join([f"*{p}"] * 9) + "]" for p, n in zip("abcdefgh", "bcdefghi", strict=True)]
    ),
    "recursive-alias": "a: &a\n  b: *a\n",
    "include-tag": "greeting: !include {secret}\n",
    "python-object-tag": "greeting: !!python/object/apply:os.system ['cat {secret}']\n",
    "python-name-tag": "greeting: !!python/name:builtins.open\n",
    "file-tag-on-mapping": "!file {secret}\n",
}


@pytest.mark.parametrize("attack", sorted(YAML_ATTACKS))
def test_yaml_tags_and_alias_bombs_are_refused_and_leak_nothing(tmp_path: Path, attack: str) -> None:
    secret = _secret_file(tmp_path)
    root = tmp_path / "tree"
    write_good_neighbour(root)
    path = root / "fr-FR.yaml"
    path.write_text(YAML_ATTACKS[attack].replace("{secret}", str(secret)), encoding="utf-8")
    code, report, errors, output = _check(root)
    assert SECRET not in output
    assert code == 2, output
    assert [e["path"] for e in report["errors"]] == [str(path)]
    assert len(errors) == 1
    assert report["summary"]["records"] == 2


def test_content_naming_a_local_file_is_text_never_opened(tmp_path: Path) -> None:
    """PO (polib opens a string that names a file), JSON and CSV bodies that are a path."""
    secret = _secret_file(tmp_path)
    root = tmp_path / "tree"
    write_good_neighbour(root)
    (root / "fr").mkdir()
    (root / "fr" / "app.po").write_text(str(secret), encoding="utf-8")
    (root / "it-IT.json").write_text(json.dumps({"a": str(secret), "$ref": f"file://{secret}"}), encoding="utf-8")
    (root / "es-ES.csv").write_text(f"key,text\na,{secret}\n", encoding="utf-8")
    code, report, _, output = _check(root)
    assert SECRET not in output
    assert code in (0, 1, 2)
    assert report["summary"]["records"] >= 4  # the good catalog plus the JSON and CSV rows


# ------------------------------------------------------------------------- links, devices, FIFOs


def test_symlink_loops_are_walked_once(tmp_path: Path) -> None:
    root = tmp_path / "tree"
    write_good_neighbour(root)
    (root / "fr").mkdir()
    (root / "fr" / "app.json").write_text('{"a": "Bonjour"}', encoding="utf-8")
    os.symlink(root, root / "fr" / "back-to-root")
    os.symlink(root / "fr", root / "fr" / "self")
    code, report, errors, _output = _check(root)
    assert code in (0, 1) and errors == []
    assert report["summary"]["records"] == 3  # each file read once, however many ways lead to it
    assert any("link loop" in w["message"] for w in report["warnings"])


def test_symlink_pointing_outside_the_tree_is_followed(tmp_path: Path) -> None:
    """Documented choice: links are followed (monorepos link shared catalogs), loops are not."""
    shared = tmp_path / "shared-catalogs" / "fr-FR"
    shared.mkdir(parents=True)
    (shared / "app.json").write_text('{"a": "Bonjour"}', encoding="utf-8")
    root = tmp_path / "tree"
    write_good_neighbour(root)
    os.symlink(shared, root / "fr-FR")
    _code, report, errors, _ = _check(root)
    assert errors == [] and report["summary"]["records"] == 3
    assert "fr-FR" in report["summary"]["locales"]


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "dev-urandom", "broken-link"])
def test_devices_fifos_and_broken_links_are_never_opened(tmp_path: Path, kind: str) -> None:
    root = tmp_path / "tree"
    write_good_neighbour(root)
    path = root / "fr-FR.json"
    if kind == "fifo":
        os.mkfifo(path)  # opening it would block the run forever
    elif kind == "broken-link":
        os.symlink(tmp_path / "nowhere.json", path)
    else:
        os.symlink(f"/dev/{kind.split('-')[1]}", path)  # endless streams
    code, report, errors, _ = _check(root)
    assert code == 2
    assert [e["path"] for e in report["errors"]] == [str(path)]
    assert len(errors) == 1
    assert report["summary"]["records"] == 2


def test_a_device_given_on_the_command_line_is_refused(tmp_path: Path) -> None:
    good = write_good_neighbour(tmp_path)
    code, report, errors, _ = _check(Path("/dev/zero"), good)
    assert code == 2 and len(errors) == 1 and "/dev/zero" in errors[0]
    assert report["summary"]["records"] == 2


# ------------------------------------------------------------------------------- locale tags

#: file names that look like a locale tag but are not one: an error naming the file
BAD_TAGS = ["jp.json", "zz.json", "en-XX.json", "jp/app.json", "fr-XX/app.json"]
#: names that do not look like a tag at all: skipped with a warning (like package.json)
NOT_TAGS = [
    "xx-NOT-A-TAG.json",
    "de_DE@euro.json",
    "😀.json",
    "😀/app.json",
    "a" * 200 + ".json",
    "x" * 60 + "-" + "y" * 60 + ".json",
    "fr-FR.UTF-8.json",
    "i-klingon.json",
]


@pytest.mark.parametrize("name", BAD_TAGS)
def test_tag_shaped_names_that_are_not_locales_are_errors(tmp_path: Path, name: str) -> None:
    root = tmp_path / "tree"
    write_good_neighbour(root)
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('{"a": "Bonjour"}', encoding="utf-8")
    code, report, errors, _ = _check(root)
    assert code == 2
    assert [e["path"] for e in report["errors"]] == [str(path)]
    assert "not a locale tag" in report["errors"][0]["message"]
    assert len(errors) == 1 and report["summary"]["records"] == 2


@pytest.mark.parametrize("name", NOT_TAGS, ids=lambda n: n[:24])
def test_names_that_are_no_tag_are_skipped_with_a_warning_or_refused_when_named(
    tmp_path: Path, name: str
) -> None:
    root = tmp_path / "tree"
    write_good_neighbour(root)
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('{"a": "Bonjour"}', encoding="utf-8")
    code, report, errors, _ = _check(root)
    assert code in (0, 1) and errors == []
    assert report["summary"]["records"] == 2
    assert any("names no locale" in w["message"] for w in report["warnings"])
    # named on the command line, the same file is an error: the user asked for it to be checked
    code, report, errors, _ = _check(path, root / "de-DE.json")
    assert code == 2 and [e["path"] for e in report["errors"]] == [str(path)]
    assert "cannot tell the locale" in report["errors"][0]["message"]
    assert report["summary"]["records"] == 2


@pytest.mark.parametrize(("name", "locale"), [("und.json", "und"), ("EN_us.json", "en-US"), ("sr-Latn-RS.json", "sr-Latn-RS")])
def test_odd_but_valid_tags_are_read(tmp_path: Path, name: str, locale: str) -> None:
    root = tmp_path / "tree"
    write_good_neighbour(root)
    (root / name).write_text('{"a": "Bonjour"}', encoding="utf-8")
    _code, report, errors, _ = _check(root)
    assert errors == [] and locale in report["summary"]["locales"]
