"""The classifier network and its folder format.

:class:`GuardModel` is any Hugging Face encoder (``AutoModel``), masked mean pooling, and two
linear heads: one logit for offensive content (sigmoid → probability) and three for register
(formal / informal / none, softmax). Mean pooling rather than the first token because it works
the same for every encoder family (DeBERTa has no trained pooler, XLM-R's ``<s>`` is only good
after fine-tuning) and learns faster from few labelled examples.

A saved model is a folder that ``AutoModel.from_pretrained`` and ``AutoTokenizer.from_pretrained``
load as they are, plus ``heads.safetensors`` and ``locale_guard_model.json`` (see
:class:`ModelMeta`). Loading is therefore the ordinary transformers path, and the encoder of a
trained model can be reused elsewhere without locale-guard.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from locale_guard import __version__
from locale_guard.model import FORMAT_VERSION, HEADS_FILE, META_FILE, REGISTER_LABELS, ModelError

if TYPE_CHECKING:
    import torch
    from transformers import PreTrainedModel, PreTrainedTokenizerBase

DEFAULT_MAX_LENGTH = 128
#: the register head's prediction is reported only at or above this probability by default
DEFAULT_REGISTER_CONFIDENCE = 0.5


@dataclass
class ModelMeta:
    """What ``locale_guard_model.json`` holds: labels, thresholds, and how the model was made."""

    base_model: str
    max_length: int = DEFAULT_MAX_LENGTH
    pooling: str = "mean"
    register_labels: list[str] = field(default_factory=lambda: list(REGISTER_LABELS))
    #: offensive head: {"global": t, "global_f1": f1, "locales": {"de-DE": t, "de": t}}
    thresholds: dict[str, Any] = field(default_factory=lambda: {"global": 0.5, "locales": {}})
    register_min_confidence: float = DEFAULT_REGISTER_CONFIDENCE
    #: data hash, rows, epochs, hyper-parameters, validation metrics, distillation facts
    training: dict[str, Any] = field(default_factory=dict)
    format_version: int = FORMAT_VERSION
    locale_guard_version: str = __version__
    created: str = field(default_factory=lambda: dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))

    def to_json(self) -> str:
        return json.dumps({"format": "locale-guard-model", **asdict(self)}, indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str, where: str) -> ModelMeta:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ModelError(f"{where}: {META_FILE} is not valid JSON: {exc}") from None
        if not isinstance(data, dict) or data.get("format") != "locale-guard-model":
            raise ModelError(f"{where}: {META_FILE} is not a locale-guard model description")
        version = data.get("format_version")
        if not isinstance(version, int) or version > FORMAT_VERSION:
            raise ModelError(
                f"{where}: model format version {version} is newer than this locale-guard understands "
                f"({FORMAT_VERSION}); upgrade locale-guard"
            )
        known = {f for f in cls.__dataclass_fields__}
        try:
            return cls(**{k: v for k, v in data.items() if k in known})
        except TypeError as exc:
            raise ModelError(f"{where}: {META_FILE} is incomplete: {exc}") from None


def _quiet_transformers() -> None:
    """Loading progress bars and 'weights not used' notices are noise on a CLI's stderr."""
    from transformers.utils import logging

    logging.set_verbosity_error()
    logging.disable_progress_bar()


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _encoder_class(config: Any) -> type:
    from transformers.models.auto.modeling_auto import MODEL_MAPPING

    try:
        return MODEL_MAPPING[type(config)]
    except KeyError:
        raise ModelError(f"{config.model_type!r} models are not encoders AutoModel can load") from None


def _encoder_kwargs(cls: type) -> dict[str, Any]:
    """SDPA attention where the architecture supports it; no pooler we would not use."""
    import inspect

    kwargs: dict[str, Any] = {}
    if getattr(cls, "_supports_sdpa", False):
        kwargs["attn_implementation"] = "sdpa"
    if "add_pooling_layer" in inspect.signature(cls.__init__).parameters:
        kwargs["add_pooling_layer"] = False
    return kwargs


def load_encoder(source: str) -> tuple[PreTrainedModel, PreTrainedTokenizerBase]:
    """An encoder and its tokenizer from a folder or a hub id (the hub only when reachable)."""
    _quiet_transformers()
    from transformers import AutoConfig, AutoTokenizer

    try:
        config = AutoConfig.from_pretrained(source)
        cls = _encoder_class(config)
        encoder = cls.from_pretrained(source, **_encoder_kwargs(cls))
        tokenizer = AutoTokenizer.from_pretrained(source)
    except ModelError:
        raise
    except (OSError, ValueError, KeyError, ImportError) as exc:
        raise ModelError(f"cannot load model '{source}': {_first_line(exc)}") from None
    if tokenizer.pad_token_id is None:
        raise ModelError(f"the tokenizer of '{source}' has no padding token; encoders used here need one")
    tokenizer.padding_side = "right"
    return encoder, tokenizer


def encoder_from_config(config: Any) -> PreTrainedModel:
    """A randomly initialised encoder of a given configuration (tests, students, benchmarks)."""
    _quiet_transformers()
    from transformers import AutoModel

    cls = _encoder_class(config)
    kwargs = _encoder_kwargs(cls)
    pool = kwargs.pop("add_pooling_layer", None)
    encoder = AutoModel.from_config(config, **kwargs)
    if pool is False and getattr(encoder, "pooler", None) is not None:
        encoder.pooler = None
    return encoder


def _torch_module() -> type:
    import torch
    from torch import nn

    class GuardModel(nn.Module):
        """Encoder → masked mean pooling → offensive logit and register logits (fp32)."""

        def __init__(self, encoder: PreTrainedModel, dropout: float = 0.1) -> None:
            super().__init__()
            hidden = int(encoder.config.hidden_size)
            self.encoder = encoder
            self.dropout = nn.Dropout(dropout)
            self.offensive = nn.Linear(hidden, 1)
            self.register = nn.Linear(hidden, len(REGISTER_LABELS))

        def forward(
            self, input_ids: torch.Tensor, attention_mask: torch.Tensor | None = None
        ) -> tuple[torch.Tensor, torch.Tensor]:
            """Logits for a batch; ``attention_mask=None`` means no padding (every row full)."""
            hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            if attention_mask is None:
                pooled = hidden.mean(dim=1, dtype=torch.float32)
            else:
                mask = attention_mask.unsqueeze(1).to(hidden.dtype)  # [B, 1, L]
                summed = torch.bmm(mask, hidden).squeeze(1).float()  # one batched matmul, fp32 result
                pooled = summed / attention_mask.sum(dim=1, keepdim=True).clamp(min=1).float()
            pooled = self.dropout(pooled)
            return self.offensive(pooled).squeeze(-1), self.register(pooled)

        def heads_state(self) -> dict[str, torch.Tensor]:
            return {
                f"{name}.{p}": getattr(getattr(self, name), p).detach().float().contiguous().cpu()
                for name in ("offensive", "register")
                for p in ("weight", "bias")
            }

    return GuardModel


_GUARD_MODEL: type | None = None


def guard_model_class() -> type:
    """The torch module class, built on first use so importing this module needs no torch."""
    global _GUARD_MODEL
    if _GUARD_MODEL is None:
        _GUARD_MODEL = _torch_module()
    return _GUARD_MODEL


@dataclass
class LoadedModel:
    """A model ready to use: the module (on the CPU until a predictor moves it), tokenizer, meta."""

    model: Any  # GuardModel
    tokenizer: Any
    meta: ModelMeta
    path: str


def new_model(encoder: PreTrainedModel, tokenizer: PreTrainedTokenizerBase, meta: ModelMeta) -> LoadedModel:
    """Fresh heads on an encoder, for training or as a distillation student (in eval mode, like
    a loaded model; training switches modes itself)."""
    return LoadedModel(guard_model_class()(encoder).eval(), tokenizer, meta, path=meta.base_model)


def save_model(loaded: LoadedModel, folder: Path) -> None:
    """Write the folder: encoder and tokenizer via save_pretrained, heads, then the meta file.

    The meta file is written last, so a folder interrupted half-way is not mistaken for a model.
    """
    from safetensors.torch import save_file

    _quiet_transformers()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / META_FILE).unlink(missing_ok=True)
    loaded.model.encoder.save_pretrained(folder)
    loaded.tokenizer.save_pretrained(folder)
    save_file(loaded.model.heads_state(), str(folder / HEADS_FILE), metadata={"format": "locale-guard-heads"})
    (folder / META_FILE).write_text(loaded.meta.to_json(), encoding="utf-8")


def _resolve_folder(source: str) -> Path:
    """A local folder for ``source``: the path itself, else a hub snapshot (cache or download)."""
    path = Path(source).expanduser()
    if path.is_dir():
        return path
    if path.exists():
        raise ModelError(f"model '{source}' is a file; --model takes the folder `locale-guard model train` wrote")
    if source.count("/") > 1 or source.startswith((".", "~")) or "\\" in source:
        raise ModelError(f"no model folder at '{source}'")
    try:
        from huggingface_hub import snapshot_download

        return Path(snapshot_download(source))
    except Exception as exc:  # offline, unknown repository, no permission: one line for all
        raise ModelError(f"no model folder at '{source}', and it could not be fetched from the hub: {_first_line(exc)}") from None


def load_model(source: str) -> LoadedModel:
    """Load a trained model folder (or hub repository with our files) onto the CPU."""
    from safetensors import SafetensorError
    from safetensors.torch import load_file

    folder = _resolve_folder(source)
    meta_path = folder / META_FILE
    heads_path = folder / HEADS_FILE
    if not meta_path.is_file() or not heads_path.is_file():
        raise ModelError(
            f"'{source}' is not a locale-guard model: it lacks {META_FILE if not meta_path.is_file() else HEADS_FILE} "
            "(train one with `locale-guard model train`, or use a base model with --base)"
        )
    meta = ModelMeta.from_json(meta_path.read_text(encoding="utf-8"), str(folder))
    encoder, tokenizer = load_encoder(str(folder))
    model = guard_model_class()(encoder)
    try:
        state = load_file(str(heads_path))
    except (SafetensorError, OSError) as exc:
        raise ModelError(f"{heads_path}: cannot read the heads: {_first_line(exc)}") from None
    expected = model.heads_state()
    bad = [k for k in expected if k not in state or tuple(state[k].shape) != tuple(expected[k].shape)]
    if bad:
        raise ModelError(f"{heads_path}: heads do not fit the encoder (mismatched {', '.join(bad)})")
    model.offensive.load_state_dict({"weight": state["offensive.weight"], "bias": state["offensive.bias"]})
    model.register.load_state_dict({"weight": state["register.weight"], "bias": state["register.bias"]})
    model.eval()
    return LoadedModel(model, tokenizer, meta, path=str(folder))
