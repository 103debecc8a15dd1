"""One row per input format: where a file of it lives, a good body, and its format's hostile bodies.

The standing suite crosses every format with every hostile *shape* (truncated, malformed,
UTF-16, Latin-1, NUL, empty, random binary, huge, deeply nested). Each format names its file by
a path that tells the locale the way real projects do (``fr-FR.json``, ``values-fr/strings.xml``,
``locale/fr-fr/skill.json``) so the engine reads it as French beside a good German catalog.
"""

from __future__ import annotations

import json
import random
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

#: a string with characters outside Latin-1's ASCII half, so re-encodings change the bytes
WORD = "Grüße aus Köln"


@dataclass(frozen=True)
class Format:
    """A format's hostile-test row.

    ``text`` is a good file whose only translatable string is :data:`WORD`; ``malformed`` a
    syntax error; ``deep`` (where the format nests) a document nested 10^5 levels deep.
    ``utf16`` says what UTF-16 input gives: ``"read"`` (same records as UTF-8) or ``"refused"``
    (streaming formats read UTF-8 only and say so).
    """

    name: str
    relpath: str
    text: str
    malformed: bytes
    deep: Callable[[int], bytes] | None = None
    utf16: str = "read"
    extra: dict[str, bytes] = field(default_factory=dict)


def _json_deep(n: int) -> bytes:
    return b'{"a": ' * n + b'"x"' + b"}" * n


def _xml_deep(root_open: str, root_close: str) -> Callable[[int], bytes]:
    def make(n: int) -> bytes:
        return (root_open + "<a>" * n + "x" + "</a>" * n + root_close).encode()

    return make


def _yaml_deep(n: int) -> bytes:
    return b"a: " + b"[" * n + b"x" + b"]" * n + b"\n"


ANDROID = (
    '<?xml version="1.0" encoding="utf-8"?>\n<resources>\n'
    f'  <string name="greeting">{WORD}</string>\n</resources>\n'
)
XLIFF = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">\n'
    '  <file source-language="en-US" target-language="fr-FR" datatype="plaintext" original="x">\n'
    "    <body>\n"
    '      <trans-unit id="greeting"><source>Greetings</source>'
    f"<target>{WORD}</target></trans-unit>\n"
    "    </body>\n  </file>\n</xliff>\n"
)
ALEXA = json.dumps(
    {
        "interactionModel": {
            "languageModel": {
                "invocationName": "wetter helfer",
                "intents": [{"name": "GreetIntent", "samples": [WORD]}],
            }
        }
    },
    indent=2,
    ensure_ascii=False,
)
MASSIVE = json.dumps(
    {
        "id": "0",
        "locale": "fr-FR",
        "partition": "test",
        "scenario": "alarm",
        "intent": "alarm_set",
        "utt": WORD,
        "annot_utt": WORD,
    },
    ensure_ascii=False,
)

FORMATS: list[Format] = [
    Format("json", "fr-FR.json", json.dumps({"greeting": WORD}, ensure_ascii=False),
           b'{"greeting": "x",,}', _json_deep),
    Format("arb", "app_fr.arb", json.dumps({"@@locale": "fr", "greeting": WORD}, ensure_ascii=False),
           b'{"greeting": "x" "y"}', _json_deep),
    Format("alexa", "models/fr-FR.json", ALEXA,
           b'{"interactionModel": {"languageModel": {"intents": [}}}', _json_deep),
    Format("yaml", "fr-FR.yaml", f"greeting: {WORD}\n", b"greeting: [unclosed\n  - : :\n", _yaml_deep),
    Format("po", "fr/LC_MESSAGES/app.po",
           f'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
           f'msgid "Greetings"\nmsgstr "{WORD}"\n',
           b'msgid "Greetings"\nmsgstr "unterminated\n'),
    Format("xliff", "fr-FR.xlf", XLIFF, b"<xliff version='1.2'><file><body></file></xliff>",
           _xml_deep('<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">', "</xliff>")),
    Format("android", "values-fr/strings.xml", ANDROID, b"<resources><string name='a'>x</resources>",
           _xml_deep("<resources>", "</resources>")),
    Format("csv", "fr-FR.csv", f"key,text\ngreeting,{WORD}\n", b'key,text\ngreeting,"unclosed\nx,y,z\n',
           utf16="refused"),
    Format("jsonl", "fr-FR/rows.jsonl", json.dumps({"key": "greeting", "text": WORD}, ensure_ascii=False) + "\n",
           b'{"key": "greeting", "text": "x"}\n{"key": \n', utf16="refused"),
    Format("massive", "fr-FR.jsonl", MASSIVE + "\n", MASSIVE.encode()[:-2] + b"\n", utf16="refused"),
    Format("ovos", "locale/fr-fr/dialog/hello.dialog", f"{WORD}\n", b"(unclosed | group\n"),
    Format("ovos-skill-json", "locale/fr-fr/skill.json",
           json.dumps({"name": WORD, "description": WORD, "examples": [WORD]}, ensure_ascii=False),
           b'{"name": "x", "examples": [', _json_deep),
]

BY_NAME = {f.name: f for f in FORMATS}


def random_binary(seed: int, size: int = 4096) -> bytes:
    """Deterministic noise that is neither text nor any format (starts with a NUL-rich header)."""
    rng = random.Random(seed)
    return b"\x89\x00\xff\xfe\x00" + bytes(rng.randrange(256) for _ in range(size))


def shape_bytes(fmt: Format, shape: str) -> bytes:
    """The hostile body of ``shape`` for ``fmt`` (the huge shape is made on disk, not here)."""
    good = fmt.text.encode("utf-8")
    if shape == "truncated":
        return good[: max(1, len(good) // 2 - 1)]
    if shape == "malformed":
        return fmt.malformed
    if shape == "utf16-bom":
        return fmt.text.encode("utf-16")
    if shape == "utf16-nobom":
        return fmt.text.encode("utf-16-le")
    if shape == "latin1":
        return fmt.text.encode("latin-1")
    if shape == "nul":
        half = len(good) // 2
        return good[:half] + b"\x00" + good[half:]
    if shape == "empty":
        return b""
    if shape == "binary":
        return random_binary(zlib.crc32(fmt.name.encode()))
    if shape == "deep":
        assert fmt.deep is not None
        return fmt.deep(100_000)
    raise ValueError(shape)


def write_shape(root: Path, fmt: Format, shape: str) -> Path:
    """Write ``fmt``'s hostile ``shape`` under ``root``; the huge shape is a sparse 200 MB file."""
    path = root / fmt.relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    if shape == "huge":
        with path.open("wb") as fh:  # sparse: no disk, no time, still 200 MB to stat()
            fh.truncate(200 * 1024 * 1024)
    else:
        path.write_bytes(shape_bytes(fmt, shape))
    return path


def write_good_neighbour(root: Path) -> Path:
    """The good German catalog every hostile file sits beside (two strings)."""
    root.mkdir(parents=True, exist_ok=True)
    path = root / "de-DE.json"
    path.write_text(json.dumps({"greeting": "Hallo Welt", "farewell": "Auf Wiedersehen"}), encoding="utf-8")
    return path
