"""Writes the seeds of the `safetensors` and `pytorch-pt` fuzz targets (see FUZZING.md):
small state_dicts under torchvision's AlexNet names, as `torch.save` and safetensors write
them. Generated and seeded: running it again writes the same tensors (the legacy `.pt`
format also holds random storage keys).

    python3 scripts/pytorch/fuzz_seeds.py fuzz/seeds
"""

import json
import struct
import sys
from pathlib import Path

import torch


def state_dict():
    torch.manual_seed(0)
    return {
        "features.0.weight": torch.randn(2, 3, 3, 3),
        "features.0.bias": torch.zeros(2),
        "classifier.6.weight": torch.randn(3, 4).half(),
        "classifier.6.bias": torch.arange(3, dtype=torch.float64),
    }


def safetensors_bytes(tensors):
    """The safetensors layout: an 8-byte little-endian header length, the JSON header, the
    tensors' bytes (written here rather than with the safetensors package)."""
    names = {torch.float32: "F32", torch.float16: "F16", torch.float64: "F64"}
    header, blobs, offset = {}, [], 0
    for key, tensor in tensors.items():
        data = tensor.contiguous().numpy().tobytes()
        header[key] = {
            "dtype": names[tensor.dtype],
            "shape": list(tensor.shape),
            "data_offsets": [offset, offset + len(data)],
        }
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + b"".join(blobs)


def main(out):
    out = Path(out)
    tensors = state_dict()
    (out / "safetensors").mkdir(parents=True, exist_ok=True)
    (out / "safetensors" / "alexnet-names.safetensors").write_bytes(safetensors_bytes(tensors))
    (out / "pytorch-pt").mkdir(parents=True, exist_ok=True)
    torch.save(tensors, out / "pytorch-pt" / "alexnet-names-zip.pt")
    torch.save(
        tensors,
        out / "pytorch-pt" / "alexnet-names-legacy.pt",
        _use_new_zipfile_serialization=False,
    )


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "fuzz/seeds")
