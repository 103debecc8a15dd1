"""``locale-guard model predict --engine ray``: the classifier in a pool of Ray actors.

Each actor loads the model once (:class:`Scorer`) and scores the batches Ray Data hands it:
one actor per GPU with ``num_gpus=1`` when the cluster has GPUs (or ``--device cuda``),
otherwise one actor per ``--threads`` CPU cores. The driver reads the inputs, keeps each
distinct text once, orders the texts by length (as the local predictor chunks them, so batches
pad little) and cuts them into blocks; the scores come back by position.

:class:`RayPredictor` is a :class:`~locale_guard.model.inference.Predictor` whose ``scores``
runs on Ray, so ``predict`` (duplicates, thresholds per locale, columns and row order) is the
local code itself. Scores match the local engine's to float rounding: batches of other
neighbours pad differently.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import polars as pl

from locale_guard.model import HEADS_FILE, META_FILE, ModelError
from locale_guard.model.inference import Predictor, RunStats, Scores

#: texts per block handed to an actor: a local chunk's size on each kind of device
BLOCK_TEXTS = {"cuda": 16384, "cpu": 2048}


class Scorer:
    """The actor: one loaded model, scoring batches of ``(_u, text)`` rows."""

    def __init__(self, model_path: str, device: str, batch_tokens: int | None, threads: int | None) -> None:
        if threads:
            import torch

            torch.set_num_threads(threads)
        from locale_guard.model.network import load_model

        self.predictor = Predictor(load_model(model_path), device=device, batch_tokens=batch_tokens)

    def __call__(self, batch: Any) -> Any:
        import pyarrow as pa

        texts = batch.column("text").to_pylist()
        got = self.predictor.scores(texts)
        stats = self.predictor.stats
        width = got.register.shape[1] if got.register.ndim == 2 else 0
        register = pa.FixedSizeListArray.from_arrays(pa.array(got.register.astype(np.float32).ravel()), width)
        tokens = np.zeros(len(texts), dtype=np.int64)
        if len(texts):
            tokens[0] = stats.tokens  # one number per batch, summed by the driver
        return pa.table(
            {
                "_u": batch.column("_u"),
                "offensive": pa.array(got.offensive.astype(np.float32)),
                "register": register,
                "_tokens": pa.array(tokens),
            }
        )


def read_meta(model_path: str) -> tuple[Any, str]:
    """The model's description and the folder actors load, without loading the weights on the
    driver when the model is a local folder (otherwise as ``load_model`` finds it)."""
    from locale_guard.model.network import ModelMeta, load_model

    folder = Path(model_path).expanduser()
    if (folder / META_FILE).is_file() and (folder / HEADS_FILE).is_file():
        return ModelMeta.from_json((folder / META_FILE).read_text(encoding="utf-8"), str(folder)), str(folder)
    loaded = load_model(model_path)  # raises the local engine's ModelError, or finds a hub snapshot
    return loaded.meta, loaded.path


@dataclass
class Placement:
    """Where the actors run: device kind, how many actors, and the resources of each."""

    kind: str
    actors: int
    num_gpus: float
    num_cpus: float
    threads: int | None


def placement(resources: dict[str, float], device: str, actors: int | None, threads: int | None) -> Placement:
    """One actor per GPU when GPUs are wanted and present, else one per ``threads`` CPUs."""
    gpus = int(resources.get("GPU", 0))
    wanted = (device or "auto").lower()
    if wanted.startswith("cuda") and gpus < 1:
        raise ModelError("--device cuda was asked for but the Ray cluster has no GPU")
    if wanted.startswith("cuda") or (wanted == "auto" and gpus >= 1):
        return Placement("cuda", actors or gpus, 1.0, 1.0, threads)
    per = threads or 1
    cpus = max(1, int(resources.get("CPU", 1)))
    return Placement("cpu", actors or max(1, cpus // per), 0.0, float(per), per)


class RayPredictor(Predictor):
    """A :class:`Predictor` whose scoring runs in Ray actors (``predict`` is inherited)."""

    def __init__(
        self,
        ray: Any,
        model_path: str,
        *,
        device: str = "auto",
        batch_tokens: int | None = None,
        threads: int | None = None,
        actors: int | None = None,
    ) -> None:
        meta, folder = read_meta(model_path)
        self.ray = ray
        self.loaded = SimpleNamespace(meta=meta, path=folder)  # what ``predict`` reads
        self.folder = folder
        self.batch_tokens = batch_tokens
        self.place = placement(ray.cluster_resources(), device, actors, threads)
        self.stats = RunStats()

    @property
    def where(self) -> str:
        """For the summary line: ``ray (2 cpu actors)``."""
        n = self.place.actors
        return f"ray ({n} {self.place.kind} actor{'s' if n != 1 else ''})"

    def scores(self, texts: Any) -> Scores:
        """Probabilities for each text, in input order, scored by the actor pool."""
        import pyarrow as pa

        from locale_guard.distributed import quiet_data_context
        from locale_guard.model.batching import length_order

        texts = texts if isinstance(texts, list) else list(texts)
        started = time.perf_counter()
        n = len(texts)
        width = len(self.meta.register_labels)
        if n == 0:
            self.stats = RunStats()
            return Scores(np.zeros(0, dtype=np.float32), np.zeros((0, width), dtype=np.float32))
        order = length_order(texts)
        table = pa.table({"_u": pa.array(order, type=pa.int64()), "text": pa.array([texts[i] for i in order])})
        # blocks of at most a local chunk, and at least one per actor
        step = max(1, min(BLOCK_TEXTS[self.place.kind], -(-n // self.place.actors)))
        blocks = [table.slice(lo, step) for lo in range(0, n, step)]
        place = self.place
        with quiet_data_context(self.ray):
            ds = self.ray.data.from_arrow(blocks).map_batches(
                Scorer,
                batch_format="pyarrow",
                batch_size=step,
                concurrency=place.actors,
                num_gpus=place.num_gpus or None,
                num_cpus=place.num_cpus,
                fn_constructor_kwargs={
                    "model_path": self.folder,
                    "device": place.kind,
                    "batch_tokens": self.batch_tokens,
                    "threads": place.threads,
                },
            )
            parts = self.ray.get(list(ds.to_arrow_refs()))
        out = pl.concat([pl.from_arrow(p) for p in parts if p.num_rows], how="vertical").sort("_u")
        register = out["register"].to_numpy().astype(np.float32).reshape(n, width)
        self.stats = RunStats(
            texts=n, tokens=int(out["_tokens"].sum()), seconds=time.perf_counter() - started
        )
        return Scores(out["offensive"].to_numpy().astype(np.float32), register)


def predict_on_ray(
    frame: pl.DataFrame,
    model_path: str,
    *,
    address: str | None = None,
    device: str = "auto",
    batch_tokens: int | None = None,
    threads: int | None = None,
    actors: int | None = None,
) -> tuple[pl.DataFrame, RayPredictor]:
    """``Predictor.predict`` on Ray: the local predict table (same columns, same row order)."""
    from locale_guard.distributed import ray_session

    with ray_session(address) as ray:
        predictor = RayPredictor(
            ray, model_path, device=device, batch_tokens=batch_tokens, threads=threads, actors=actors
        )
        return predictor.predict(frame), predictor
