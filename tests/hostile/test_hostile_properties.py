"""Property tests, one per reader: any bytes give a record frame or one InputError, nothing else.

The inputs mix raw bytes, arbitrary Unicode text (encoded as UTF-8, UTF-16 and Latin-1) and the
format's own good file with arbitrary text spliced in at an arbitrary place, so most examples
get past decoding into the parser. Derandomized so CI sees the same examples every run; the
atheris harnesses in bench/fuzz/ do the long, coverage-guided search.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from _hostile_formats import FORMATS, Format
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from locale_guard.readers import detect, get_reader
from locale_guard.readers.base import InputError, ReadRequest
from locale_guard.records import RECORD_SCHEMA, conform

SETTINGS = settings(
    max_examples=150,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

#: the reader each format row is read with (MASSIVE and CSV JSONL share ``.jsonl``)
READER_OF = {"jsonl": "csv"}


def _spliced(good: str) -> st.SearchStrategy[bytes]:
    return st.tuples(st.integers(0, len(good)), st.integers(0, 40), st.text(max_size=60)).map(
        lambda t: (good[: t[0]] + t[2] + good[t[0] + t[1] :]).encode("utf-8")
    )


def _inputs(fmt: Format) -> st.SearchStrategy[bytes]:
    text = st.text(max_size=300)
    return st.one_of(
        st.binary(max_size=2000),
        text.map(lambda s: s.encode("utf-8")),
        text.map(lambda s: s.encode("utf-16")),
        text.map(lambda s: s.encode("latin-1", errors="replace")),
        _spliced(fmt.text),
        _spliced(fmt.text).map(lambda b: b.decode("utf-8").encode("utf-16-le")),
    )


def _assert_contract(fmt: Format, path: Path, data: bytes) -> None:
    path.write_bytes(data)
    reader = get_reader(READER_OF.get(fmt.name, fmt.name))
    if reader.sniff is not None:
        reader.sniff(path, data[:8192])  # must not raise either
    detect(path)
    try:
        frame = reader.read(ReadRequest(path=path, locale="fr-FR", source_locale="en-US", max_bytes=1 << 20))
    except InputError as exc:
        line = exc.describe()
        assert str(path) in line
        assert "\n" not in line and "\r" not in line
        return
    out = conform(frame)
    assert list(out.columns) == list(RECORD_SCHEMA)
    assert out["kind"].drop_nulls().is_in(["response", "utterance"]).all()


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.name)
def test_any_bytes_give_records_or_one_input_error(fmt: Format) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / fmt.relpath
        path.parent.mkdir(parents=True, exist_ok=True)

        @SETTINGS
        @given(data=_inputs(fmt))
        def prop(data: bytes) -> None:
            _assert_contract(fmt, path, data)

        prop()
