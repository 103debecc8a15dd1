"""Tiny XLM-R-shaped models for the classifier tests, built without any download.

Shared by ``conftest.py`` (the session fixtures) and the test modules (paths, settings).

A Unigram tokenizer (the model type XLM-R uses) is trained with the ``tokenizers`` library on
the texts of ``tests/data/model/labelled.jsonl``, wrapped as a transformers fast tokenizer and
saved with a randomly initialised ``XLMRobertaModel`` (2 layers, hidden size 32) into a
temporary folder. Everything then loads that folder with ``from_pretrained``, the same path a
user's ``--base xlm-roberta-base`` takes. The trained model is built once per session
(see ``conftest.py``).
"""

from __future__ import annotations

import json
from pathlib import Path

import torch

# Tiny models gain nothing from several threads, and on a busy 2-core machine OpenMP threads
# spinning against each other make each step 20x slower.
torch.set_num_threads(1)

DATA = Path(__file__).resolve().parent.parent / "data" / "model"
LABELLED = DATA / "labelled.jsonl"
HELDOUT = DATA / "heldout.jsonl"

SPECIALS = ["<s>", "<pad>", "</s>", "<unk>", "<mask>"]  # XLM-R's ids 0..4


def written_texts() -> list[str]:
    return [json.loads(line)["text"] for line in LABELLED.read_text(encoding="utf-8").splitlines() if line.strip()]


def build_tokenizer(texts: list[str], vocab_size: int = 1000):
    """A SentencePiece-style Unigram tokenizer with XLM-R's special tokens and template."""
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.Unigram())
    tok.normalizer = normalizers.NFKC()
    tok.pre_tokenizer = pre_tokenizers.Metaspace()
    tok.decoder = decoders.Metaspace()
    trainer = trainers.UnigramTrainer(vocab_size=vocab_size, special_tokens=SPECIALS, unk_token="<unk>")
    tok.train_from_iterator(texts, trainer)
    tok.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", pair="<s> $A </s> </s> $B </s>", special_tokens=[("<s>", 0), ("</s>", 2)]
    )
    return PreTrainedTokenizerFast(
        tokenizer_object=tok,
        bos_token="<s>", eos_token="</s>", sep_token="</s>", cls_token="<s>",
        unk_token="<unk>", pad_token="<pad>", mask_token="<mask>", model_max_length=128,
    )


def build_base(folder: Path, *, layers: int = 2, hidden: int = 32, seed: int = 0) -> Path:
    """Save a random tiny XLM-R encoder and its freshly trained tokenizer into ``folder``."""
    from transformers import XLMRobertaConfig, XLMRobertaModel

    tokenizer = build_tokenizer(written_texts())
    config = XLMRobertaConfig(
        vocab_size=len(tokenizer),
        hidden_size=hidden,
        num_hidden_layers=layers,
        num_attention_heads=2,
        intermediate_size=hidden * 2,
        max_position_embeddings=130,
        pad_token_id=1, bos_token_id=0, eos_token_id=2,
    )
    torch.manual_seed(seed)
    XLMRobertaModel(config, add_pooling_layer=False).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


#: hyper-parameters for a from-scratch tiny encoder (a pretrained one would use the CLI defaults)
#: (min_locale_examples is low so that this small validation split still yields per-locale thresholds)
TINY_TRAINING = {
    "epochs": 12, "lr": 5e-3, "batch_size": 16, "patience": 3, "valid_fraction": 0.2, "seed": 3,
    "dropout": 0.0, "min_locale_examples": 8,
}
