"""The transformer classifier: one encoder, a head for offensive content and one for register.

A model is a folder that ``from_pretrained`` understands (the encoder's ``config.json`` and
weights, the tokenizer) plus two files of ours: ``heads.safetensors`` (the two linear heads) and
``locale_guard_model.json`` (label maps, per-locale thresholds, how it was trained). Any Hugging
Face encoder can be the base (``xlm-roberta-base``, ``mdeberta-v3-base``, a local folder).

Modules, so that nothing heavy is imported before it is needed (``locale-guard check`` without a
model never imports torch):

* :mod:`.data` reads and validates labelled and unlabelled data (polars only);
* :mod:`.metrics` computes precision/recall/F1/ROC-AUC, thresholds and calibration (numpy only);
* :mod:`.network` is the torch module and the folder format (save / load);
* :mod:`.batching` turns texts into length-sorted, token-budget batches;
* :mod:`.inference` is the throughput-engineered :class:`~.inference.Predictor`;
* :mod:`.training`, :mod:`.distill` and :mod:`.evaluate` implement the CLI commands.
"""

from __future__ import annotations

import os

# Scoring overlaps tokenization (a Python thread and Rust's pool) with torch's OpenMP threads.
# With OpenMP's default active waiting, idle torch workers spin on the cores the tokenizer
# needs, and on a busy or small machine each forward pass then becomes many times slower.
# Passive waiting costs little on a dedicated machine. Takes effect only if torch is not yet
# loaded, and never overrides a value the user set.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

#: file names inside a model folder that are ours (the rest belongs to transformers)
META_FILE = "locale_guard_model.json"
HEADS_FILE = "heads.safetensors"
#: bump when the folder layout or the meaning of a field changes incompatibly
FORMAT_VERSION = 1

#: register labels, in the order of the register head's outputs
REGISTER_LABELS = ("formal", "informal", "none")

#: environment variables the check and the CLI read when no option names a model or device
MODEL_ENV = "LOCALE_GUARD_MODEL"
DEVICE_ENV = "LOCALE_GUARD_DEVICE"

DEVICES = ("auto", "cpu", "cuda")


class ModelError(Exception):
    """A model folder, base model or option that cannot be used; the message is one line."""
