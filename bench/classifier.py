"""Throughput of ``locale-guard model predict`` against ``transformers.pipeline``, same model, same texts.

In one process, on the same N texts (default 10,000 utterances resampled from MASSIVE en-US,
``../shared/corpora/massive/agarimojs-massive/data/en-US.jsonl``; generated assistant commands
when that file is absent), it times

* our :class:`locale_guard.model.inference.Predictor` (length-sorted token-budget batches,
  tokenization overlapped with the model, ``inference_mode``, SDPA, bf16 on CUDA), and
* ``transformers.pipeline("text-classification")`` on an ``AutoModelForSequenceClassification``
  whose encoder weights are copied from ours (the script checks that both encoders give the
  same hidden states), at the pipeline's default batch size of 1 and at ``--pipeline-batch``,

and prints a Markdown table (seconds, texts/s, tokens/s, our speed-up), the machine and the date.
Ours runs before and again after the pipelines; speed-ups are computed from the slower of the
two, so load drifting on a shared machine cannot flatter the result.

Without ``--model`` the model is built from a configuration with random weights, which is fine
for speed: ``--size base`` is XLM-R-base-shaped (12 layers, hidden 768, 12 heads, FFN 3072,
250,002-token embedding table, 278M parameters), ``small`` (6 × 384) and ``tiny`` (2 × 128)
are for quick runs. Its tokenizer is a SentencePiece-style Unigram model trained on the
benchmark texts, so token counts per text resemble XLM-R's on English. ``--model DIR`` uses a
trained model folder instead (the pipeline then loads the same folder).

With ``--device cuda`` it adds the GPU figures: sentences/s and tokens/s in bf16 over
``--gpu-texts`` texts (more than 10k, to measure steady state rather than start-up), and the
fraction of the FLOP-bound limit::

    FLOPs per token ≈ 2 × (parameters outside the embedding tables)
                    ≈ 2 × 85.6M ≈ 171 MFLOP for XLM-R base
    fraction        = tokens/s × FLOPs per token / peak dense bf16 FLOP/s

(attention's score and value products add ~4·layers·hidden·length FLOPs per token, a few
percent at assistant-utterance lengths, and are left out, so the fraction is conservative).
Peak defaults: H100 SXM and H200 989 TFLOP/s, H100 PCIe 756; pass ``--peak-tflops`` for
others. Targets: >= 3x the pipeline on CPU; >= 50 % of the FLOP bound on a GPU::

    python bench/classifier.py                          # CPU, XLM-R-base-shaped, 10k texts
    python bench/classifier.py --size small --texts 2000
    python bench/classifier.py --device cuda --gpu-texts 200000
    python bench/classifier.py --model models/guard --device cpu
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from locale_guard.model.device import describe, resolve_device  # noqa: E402
from locale_guard.model.inference import Predictor  # noqa: E402
from locale_guard.model.network import (  # noqa: E402
    LoadedModel,
    ModelMeta,
    encoder_from_config,
    load_model,
    new_model,
)

MASSIVE = Path("massive") / "agarimojs-massive" / "data" / "en-US.jsonl"
SIZES = {  # hidden, layers, heads, ffn
    "base": (768, 12, 12, 3072),
    "small": (384, 6, 6, 1536),
    "tiny": (128, 2, 2, 512),
}
#: peak dense bf16 tensor-core TFLOP/s (NVIDIA data sheets, without sparsity)
PEAK_BF16_TFLOPS = {"H100 PCIe": 756.0, "H100": 989.0, "H200": 989.0, "A100": 312.0, "L40S": 362.0, "L4": 121.0}
SPECIALS = ["<s>", "<pad>", "</s>", "<unk>", "<mask>"]


def load_texts(n: int, corpora: Path, seed: int) -> tuple[list[str], str]:
    """N texts resampled from MASSIVE en-US, or generated commands when it is not there."""
    path = corpora / MASSIVE
    if path.is_file():
        utts = pl.read_ndjson(path).select(pl.col("utt").alias("text"))
        sample = utts.sample(n, with_replacement=n > utts.height, seed=seed)
        return sample["text"].to_list(), f"MASSIVE en-US ({path}), {n} resampled with seed {seed}"
    rng = np.random.default_rng(seed)
    verbs = ["set", "play", "turn off", "remind me to", "tell me", "add", "what is", "cancel", "book", "call"]
    objs = ["an alarm for seven am", "some jazz music", "the kitchen lights", "the weather in paris tomorrow",
            "milk to my shopping list", "my meeting with anna on friday", "a table for two tonight", "mum"]
    tails = ["", " please", " right now", " in ten minutes", " and then read my email", " if it is not raining"]
    texts = [f"{rng.choice(verbs)} {rng.choice(objs)}{rng.choice(tails)}" for _ in range(n)]
    return texts, f"generated assistant commands ({n}, seed {seed}; MASSIVE not found at {path})"


def train_tokenizer(texts: list[str]):
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.Unigram())
    tok.normalizer = normalizers.NFKC()
    tok.pre_tokenizer = pre_tokenizers.Metaspace()
    tok.decoder = decoders.Metaspace()
    tok.train_from_iterator(texts, trainers.UnigramTrainer(vocab_size=8000, special_tokens=SPECIALS, unk_token="<unk>"))
    tok.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", pair="<s> $A </s> </s> $B </s>", special_tokens=[("<s>", 0), ("</s>", 2)]
    )
    return PreTrainedTokenizerFast(
        tokenizer_object=tok, bos_token="<s>", eos_token="</s>", sep_token="</s>", cls_token="<s>",
        unk_token="<unk>", pad_token="<pad>", mask_token="<mask>", model_max_length=512,
    )


def build_model(size: str, texts: list[str], max_length: int) -> LoadedModel:
    """A random XLM-R-shaped encoder with our heads, and a tokenizer trained on the texts."""
    import torch
    from transformers import XLMRobertaConfig

    hidden, layers, heads, ffn = SIZES[size]
    tokenizer = train_tokenizer(texts)
    config = XLMRobertaConfig(
        vocab_size=250002 if size == "base" else max(len(tokenizer), 8000),
        hidden_size=hidden, num_hidden_layers=layers, num_attention_heads=heads, intermediate_size=ffn,
        max_position_embeddings=514, pad_token_id=1, bos_token_id=0, eos_token_id=2,
    )
    torch.manual_seed(0)
    encoder = encoder_from_config(config)
    return new_model(encoder, tokenizer, ModelMeta(base_model=f"random XLM-R {size}-shaped", max_length=max_length))


def pipeline_model(loaded: LoadedModel, model_dir: str | None):
    """An AutoModelForSequenceClassification with our encoder's weights (checked equal)."""
    from transformers import AutoModelForSequenceClassification

    if model_dir:
        seq = AutoModelForSequenceClassification.from_pretrained(model_dir, num_labels=2, attn_implementation="sdpa")
    else:
        seq = AutoModelForSequenceClassification.from_config(loaded.model.encoder.config, attn_implementation="sdpa")
        missing, unexpected = seq.base_model.load_state_dict(loaded.model.encoder.state_dict(), strict=False)
        if unexpected or [k for k in missing if "pooler" not in k]:
            raise SystemExit(f"encoder weights do not fit the pipeline model: {missing} {unexpected}")
    return seq.eval()


def same_encoder(loaded: LoadedModel, seq: Any, texts: list[str]) -> float:
    """Max |difference| of the two models' encoder outputs on a few texts (0 = same model)."""
    import torch

    enc = loaded.tokenizer(texts[:8], padding=True, return_tensors="pt")
    with torch.inference_mode():
        ours = loaded.model.encoder(**enc).last_hidden_state
        theirs = seq.base_model(**enc).last_hidden_state
    mask = enc["attention_mask"].bool()
    return float((ours[mask] - theirs[mask]).abs().max())


def flops_per_token(encoder: Any) -> float:
    """2 × parameters outside the embedding tables (a matmul does 2 FLOPs per weight per token)."""
    embedding = sum(p.numel() for name, p in encoder.named_parameters() if "embeddings" in name)
    total = sum(p.numel() for p in encoder.parameters())
    return 2.0 * (total - embedding)


def peak_for(device_name: str, given: float | None) -> float | None:
    if given:
        return given
    for key in sorted(PEAK_BF16_TFLOPS, key=len, reverse=True):
        if all(part in device_name for part in key.split()):
            return PEAK_BF16_TFLOPS[key]
    return None


def machine(device: Any) -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import torch
    import transformers

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"{describe(device)}; CPU {cpu}, {os.cpu_count()} logical cores, load average {load:.2f} at start; "
        f"Python {platform.python_version()}, torch {torch.__version__}, transformers {transformers.__version__}; "
        f"{platform.platform()}"
    )


def time_ours(loaded: LoadedModel, texts: list[str], device: str, batch_tokens: int | None) -> tuple[float, int, int]:
    predictor = Predictor(loaded, device=device, batch_tokens=batch_tokens)
    predictor.scores(texts[:256])  # warm-up: allocator, kernels, thread pools
    predictor.scores(texts)
    s = predictor.stats
    return s.seconds, s.tokens, s.padded_tokens


def time_pipeline(seq: Any, tokenizer: Any, texts: list[str], device: Any, batch: int, max_length: int) -> float:
    import torch
    from transformers import pipeline

    kwargs: dict[str, Any] = {"device": device}
    if device.type == "cuda":
        seq = seq.to(torch.bfloat16)
    pipe = pipeline("text-classification", model=seq, tokenizer=tokenizer, **kwargs)
    pipe(texts[:32], batch_size=batch, truncation=True, max_length=max_length)  # warm-up
    started = time.perf_counter()
    out = pipe(texts, batch_size=batch, truncation=True, max_length=max_length)
    seconds = time.perf_counter() - started
    assert len(out) == len(texts)
    return seconds


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", help="A trained model folder (default: a random model built from --size).")
    parser.add_argument("--size", choices=sorted(SIZES), default="base")
    parser.add_argument("--texts", type=int, default=10_000)
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda", "auto"])
    parser.add_argument("--batch-tokens", type=int, help="Our padded-token budget per batch (default: the Predictor's).")
    parser.add_argument("--pipeline-batch", type=int, default=32, help="Batch size of the second pipeline run.")
    parser.add_argument("--no-default-pipeline", action="store_true", help="Skip the pipeline at batch size 1 (slow on CPU).")
    parser.add_argument("--max-length", type=int, default=128)
    parser.add_argument("--gpu-texts", type=int, default=100_000, help="Texts for the GPU throughput figures.")
    parser.add_argument("--peak-tflops", type=float, help="Peak dense bf16 TFLOP/s of the GPU (default: from its name).")
    parser.add_argument("--threads", type=int, help="torch CPU threads (default: all cores).")
    parser.add_argument("--corpora", type=Path, default=REPO.parent / "shared" / "corpora")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    import torch

    if args.threads:
        torch.set_num_threads(args.threads)
    device = resolve_device(args.device)
    texts, source = load_texts(args.texts, args.corpora, args.seed)
    if args.model:
        loaded = load_model(args.model)
        model_desc = f"{args.model} (base {loaded.meta.base_model})"
    else:
        loaded = build_model(args.size, texts, args.max_length)
        hidden, layers, heads, ffn = SIZES[args.size]
        model_desc = f"random weights, XLM-R {args.size}-shaped (hidden {hidden}, {layers} layers, {heads} heads, FFN {ffn})"
    loaded.meta.max_length = args.max_length
    params = sum(p.numel() for p in loaded.model.encoder.parameters())
    fpt = flops_per_token(loaded.model.encoder)
    seq = pipeline_model(loaded, args.model)
    gap = same_encoder(loaded, seq, texts)
    header = [
        f"# Classifier throughput, {dt.datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')}",
        "",
        f"- machine: {machine(device)}",
        f"- model: {model_desc}; {params / 1e6:.1f}M parameters, {fpt / 1e6:.0f} MFLOP per token",
        f"- encoder check: pipeline model and ours differ by at most {gap:.2e} in hidden states",
        f"- texts: {source}; max length {args.max_length} tokens",
        "",
    ]
    print("\n".join(header), flush=True)

    rows = []
    ours_s, tokens, padded = time_ours(loaded, texts, str(device), args.batch_tokens)
    rows.append(("locale-guard Predictor", "token budget", ours_s))
    print(f"ours: {ours_s:.2f}s ({tokens} tokens, {padded} padded)", file=sys.stderr, flush=True)
    if device.type == "cuda":
        loaded.model.to("cpu").float()
        torch.cuda.empty_cache()
    batches = [args.pipeline_batch] if args.no_default_pipeline else [1, args.pipeline_batch]
    for batch in batches:
        seconds = time_pipeline(seq, loaded.tokenizer, texts, device, batch, args.max_length)
        rows.append(("transformers.pipeline", str(batch), seconds))
        print(f"pipeline batch {batch}: {seconds:.2f}s", file=sys.stderr, flush=True)
    # ours once more after the pipelines: on a shared machine the load drifts during a long run;
    # the speed-ups use the slower of our two runs, so drift cannot flatter us
    again, _, _ = time_ours(loaded, texts, str(device), args.batch_tokens)
    rows.insert(1, ("locale-guard Predictor (again, after the pipelines)", "token budget", again))
    print(f"ours again: {again:.2f}s", file=sys.stderr, flush=True)
    ours_s = max(ours_s, again)

    n = len(texts)
    lines = [
        "| engine | batch | seconds | texts/s | tokens/s | our speed-up (vs our slower run) |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for name, batch, seconds in rows:
        ratio = "-" if name.startswith("locale-guard") else f"{seconds / ours_s:.2f}x"
        lines.append(f"| {name} | {batch} | {seconds:.2f} | {n / seconds:,.1f} | {tokens / seconds:,.0f} | {ratio} |")
    lines.append("")
    lines.append(
        f"{n} texts, {tokens} real tokens ({tokens / n:.1f} per text); our batches computed {padded} tokens "
        f"({(padded - tokens) / max(tokens, 1):.1%} padding)."
    )
    print("\n".join(lines), flush=True)

    if device.type == "cuda":
        gpu_texts, _ = load_texts(args.gpu_texts, args.corpora, args.seed + 1)
        seconds, gtok, gpad = time_ours(loaded, gpu_texts, str(device), args.batch_tokens)
        name = torch.cuda.get_device_name(device)
        peak = peak_for(name, args.peak_tflops)
        achieved = gtok / seconds * fpt
        print("")
        print(f"## GPU steady state: {name}, bf16, {len(gpu_texts)} texts")
        print("")
        print("| sentences/s | tokens/s | padded tokens/s | achieved TFLOP/s | peak bf16 TFLOP/s | fraction of FLOP bound |")
        print("|---:|---:|---:|---:|---:|---:|")
        frac = f"{achieved / (peak * 1e12):.1%}" if peak else "n/a (pass --peak-tflops)"
        print(
            f"| {len(gpu_texts) / seconds:,.0f} | {gtok / seconds:,.0f} | {gpad / seconds:,.0f} | {achieved / 1e12:.1f} | "
            f"{peak if peak else 'unknown'} | {frac} |"
        )
        print("")
        print(f"FLOPs per token = 2 × {fpt / 2 / 1e6:.1f}M non-embedding parameters = {fpt / 1e6:.0f} MFLOP.")


if __name__ == "__main__":
    main()
