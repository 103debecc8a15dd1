"""Where the model runs and in what precision.

``auto`` picks CUDA when torch sees a GPU and the CPU otherwise, so one command line works on a
laptop and on a GPU server. Precision follows the device: on CUDA, bf16 autocast when the GPU
supports it (Ampere and later), else fp16; on the CPU, fp32, because most CPUs have no fast
half-precision matrix units and bf16 there is slower or less accurate for no gain. ``bf16`` can
still be forced on a CPU that has AMX or AVX-512-BF16.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

from locale_guard.model import DEVICES, ModelError

if TYPE_CHECKING:
    import torch

PRECISIONS = ("auto", "fp32", "bf16", "fp16")


def resolve_device(name: str | None) -> torch.device:
    """The torch device for ``auto``/``cpu``/``cuda`` (``cuda:1`` picks a GPU)."""
    import torch

    wanted = (name or "auto").strip().lower()
    if wanted == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if wanted.split(":", 1)[0] not in DEVICES:
        raise ModelError(f"unknown device '{name}'; use one of {', '.join(DEVICES)}")
    if wanted.startswith("cuda") and not torch.cuda.is_available():
        raise ModelError("--device cuda was asked for but torch sees no CUDA GPU (is this the CPU build of torch?)")
    return torch.device(wanted)


def autocast_dtype(device: torch.device, precision: str = "auto") -> torch.dtype | None:
    """The autocast dtype for this device, or None for plain fp32."""
    import torch

    if precision not in PRECISIONS:
        raise ModelError(f"unknown precision '{precision}'; use one of {', '.join(PRECISIONS)}")
    if precision == "fp32":
        return None
    if precision == "bf16":
        return torch.bfloat16
    if precision == "fp16":
        if device.type != "cuda":
            raise ModelError("fp16 is only supported on CUDA; use bf16 or fp32 on the CPU")
        return torch.float16
    if device.type == "cuda":
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    return None


@contextlib.contextmanager
def autocast(device: torch.device, dtype: torch.dtype | None) -> Iterator[None]:
    """``torch.autocast`` when a dtype is given, else nothing (fp32)."""
    import torch

    if dtype is None:
        yield
        return
    with torch.autocast(device_type=device.type, dtype=dtype):
        yield


def configure_cuda() -> None:
    """Let fp32 matmuls that remain under autocast use TF32 tensor cores (a CUDA-only knob)."""
    import torch

    if torch.cuda.is_available():
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True


def describe(device: torch.device) -> str:
    """A short human name for the device: ``cpu (2 threads)`` or the GPU's name."""
    import torch

    if device.type == "cuda":
        return torch.cuda.get_device_name(device)
    return f"cpu ({torch.get_num_threads()} threads)"
