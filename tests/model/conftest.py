"""Session fixtures for the classifier tests: a tiny base model and that model trained once.

See ``_tiny_models.py`` for how the model and its tokenizer are built without downloads.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")
pytest.importorskip("tokenizers")

from _tiny_models import LABELLED, TINY_TRAINING, build_base


@pytest.fixture(scope="session")
def tiny_base(tmp_path_factory) -> Path:
    """A folder with a random 2-layer XLM-R encoder and a tokenizer trained on our texts."""
    return build_base(tmp_path_factory.mktemp("tiny-base"))


@pytest.fixture(scope="session")
def trained(tmp_path_factory, tiny_base):
    """(model folder, TrainResult) of the tiny model trained once on the labelled set."""
    from locale_guard.model.training import TrainOptions, train

    out = tmp_path_factory.mktemp("trained") / "guard"
    result = train(
        TrainOptions(base=str(tiny_base), data=[LABELLED], output=out, device="cpu", max_length=64, **TINY_TRAINING)
    )
    return out, result
