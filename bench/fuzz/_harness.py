"""Shared body of the per-reader atheris harnesses.

Each ``fuzz_<reader>.py`` names a reader and a file name with the extension that reader claims;
this module writes every fuzz input to that file (on tmpfs when there is one, so the file system
costs little), runs the reader's ``sniff`` and ``read`` on it and lets any exception other than
:class:`~locale_guard.readers.base.InputError` escape, which atheris reports as a crash with the
input that caused it. The contract under test is the one every reader promises: records or one
``InputError``, never another exception, for any bytes at all.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["locale_guard"]):
    from locale_guard.readers import all_readers, get_reader
    from locale_guard.readers.base import InputError, ReadRequest
    from locale_guard.records import conform

    all_readers()  # imports every reader module, so they are instrumented too

#: inputs are small; the size limit is lowered so a fuzzer-made "large" file is also refused
_MAX_BYTES = 1 << 20


def _scratch_dir() -> Path:
    given = os.environ.get("LG_FUZZ_SCRATCH")
    if given:  # run_all.sh passes one and removes it afterwards (libFuzzer skips atexit)
        return Path(tempfile.mkdtemp(prefix="lg-fuzz-", dir=given))
    shm = Path("/dev/shm")
    base = shm if shm.is_dir() and os.access(shm, os.W_OK) else None
    folder = Path(tempfile.mkdtemp(prefix="lg-fuzz-", dir=base))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def main(reader_name: str, file_name: str, locale: str | None = "de-DE") -> None:
    """Fuzz one reader; ``argv`` is passed to libFuzzer (``-runs=100000``, corpus dirs...)."""
    reader = get_reader(reader_name)
    folder = _scratch_dir() / "de-DE"
    folder.mkdir()
    path = folder / file_name

    def one_input(data: bytes) -> None:
        path.write_bytes(data)
        if reader.sniff is not None:
            reader.sniff(path, data[:8192])
        request = ReadRequest(path=path, locale=locale, source_locale="en-US", max_bytes=_MAX_BYTES)
        try:
            frame = reader.read(request)
        except InputError as exc:
            # the error must be one line that names the file
            text = exc.describe()
            if "\n" in text.strip() or str(path) not in text:
                raise AssertionError(f"error is not one line naming the file: {text!r}") from None
            return
        for name in ("text", "kind", "line"):
            if name not in frame.columns:
                raise AssertionError(f"reader returned no {name!r} column: {frame.columns}")
        conform(frame)  # what the engine does next: must not fail on any reader output

    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()
