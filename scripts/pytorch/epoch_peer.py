"""The PyTorch row of `cargo xtask compare-backends --epoch --peer pytorch` (LeNet-5).

Trains one epoch of Ember's LeNet-5 (modern, ember_twins) on the MNIST IDX files Ember
trains on, with the same split sizes, batch, optimizer (Adam, PyTorch's defaults, lr 3e-3,
cosine decay over the epoch) and per-batch preprocessing (grey levels / 255, padded with
black to 32x32, normalised with the training mean and std), and times it three ways as
Ember does:

- loader: one pass of a DataLoader over the training split, preprocessing included;
- (five untimed training steps and a validation batch: PyTorch's one-time set-up);
- raw: a minimal loop (forward, cross-entropy, backward, Adam), then the validation
  forward passes under no_grad;
- run: the loop a PyTorch user writes: the same, plus the scheduler, the loss and accuracy
  of every batch read back (.item()), a progress line every 10% and the validation loss
  and accuracy.

Prints one JSON object in the layout of ember-train's EpochSpeed on stdout.

    python scripts/pytorch/epoch_peer.py --data-dir ../shared/data/mnist --train-items 55000 \
        --valid-items 5000 [--batch 64] [--threads N] [--mean 0.1307 --std 0.3081]
"""

import argparse
import copy
import gzip
import json
import math
import os
import struct
import sys
import time

import torch
from torch import nn
from torch.nn import functional as F
from torch.utils.data import DataLoader, TensorDataset

import ember_twins


def read_idx(folder, stem):
    """An IDX file of `folder` (`stem` or `stem.gz`) as a uint8 tensor of its shape."""
    for name in (stem, stem + ".gz"):
        path = os.path.join(folder, name)
        if os.path.exists(path):
            opener = gzip.open if name.endswith(".gz") else open
            with opener(path, "rb") as f:
                data = f.read()
            break
    else:
        raise SystemExit(f"no {stem} (or {stem}.gz) in {folder}: pass the folder of MNIST's IDX files")
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] != 8:
        raise SystemExit(f"{folder}/{stem}: not an IDX file of unsigned bytes")
    dims = data[3]
    shape = struct.unpack(f">{dims}I", data[4 : 4 + 4 * dims])
    values = torch.frombuffer(bytearray(data[4 + 4 * dims :]), dtype=torch.uint8)
    if values.numel() != math.prod(shape):
        raise SystemExit(f"{folder}/{stem}: {values.numel()} bytes for a shape of {shape}")
    return values.reshape(shape)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--train-items", type=int, required=True)
    parser.add_argument("--valid-items", type=int, required=True)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--lr", type=float, default=3e-3)
    parser.add_argument("--mean", type=float, default=0.1307)
    parser.add_argument("--std", type=float, default=0.3081)
    parser.add_argument("--threads", type=int)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)

    images = read_idx(args.data_dir, "train-images-idx3-ubyte")
    labels = read_idx(args.data_dir, "train-labels-idx1-ubyte").long()
    if args.train_items + args.valid_items > len(images):
        raise SystemExit(f"{args.train_items} + {args.valid_items} examples asked, the files hold {len(images)}")
    order = torch.randperm(len(images))
    valid_idx = order[: args.valid_items]
    train_idx = order[args.valid_items : args.valid_items + args.train_items]
    train = TensorDataset(images[train_idx].unsqueeze(1), labels[train_idx])
    valid = TensorDataset(images[valid_idx].unsqueeze(1), labels[valid_idx])

    def prepare(x):
        x = F.pad(x.float() / 255.0, (2, 2, 2, 2))
        return (x - args.mean) / args.std

    train_loader = lambda: DataLoader(train, batch_size=args.batch, shuffle=True)
    valid_loader = lambda: DataLoader(valid, batch_size=max(args.batch, 256))

    start = time.perf_counter()
    for x, y in train_loader():
        prepare(x)
    loader_s = time.perf_counter() - start

    initial = ember_twins.lenet5_modern()

    def raw():
        model = copy.deepcopy(initial)
        optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
        model.train()
        for x, y in train_loader():
            optimizer.zero_grad()
            F.cross_entropy(model(prepare(x)), y).backward()
            optimizer.step()
        model.eval()
        with torch.no_grad():
            for x, y in valid_loader():
                model(prepare(x))

    # PyTorch's first steps pay one-time set-up (oneDNN primitives, allocator): a few
    # untimed steps first, as Ember's backends are measured warm too.
    start = time.perf_counter()
    model = copy.deepcopy(initial)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    for i, (x, y) in enumerate(train_loader()):
        if i == 5:
            break
        optimizer.zero_grad()
        F.cross_entropy(model(prepare(x)), y).backward()
        optimizer.step()
    with torch.no_grad():
        for x, _ in valid_loader():
            model(prepare(x))
            break
    warmup_s = time.perf_counter() - start

    start = time.perf_counter()
    raw()
    raw_s = time.perf_counter() - start

    def run():
        model = copy.deepcopy(initial)
        optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
        loader = train_loader()
        scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=len(loader))
        model.train()
        total, correct, seen, every = 0.0, 0, 0, max(len(loader) // 10, 1)
        for i, (x, y) in enumerate(loader):
            optimizer.zero_grad()
            logits = model(prepare(x))
            loss = F.cross_entropy(logits, y)
            loss.backward()
            optimizer.step()
            scheduler.step()
            total += loss.item() * len(y)
            correct += (logits.argmax(1) == y).sum().item()
            seen += len(y)
            if (i + 1) % every == 0:
                print(f"train {i + 1}/{len(loader)} loss {total / seen:.4f} acc {100 * correct / seen:.2f}%", file=sys.stderr)
        model.eval()
        total, correct, seen = 0.0, 0, 0
        with torch.no_grad():
            for x, y in valid_loader():
                logits = model(prepare(x))
                total += F.cross_entropy(logits, y, reduction="sum").item()
                correct += (logits.argmax(1) == y).sum().item()
                seen += len(y)
        return 100.0 * correct / seen

    start = time.perf_counter()
    valid_accuracy = run()
    run_s = time.perf_counter() - start

    print(json.dumps({
        "backend": "pytorch",
        "device": f"PyTorch {torch.__version__} CPU, {torch.get_num_threads()} threads",
        "train_items": args.train_items,
        "valid_items": args.valid_items,
        "warmup_s": warmup_s,
        "loader_s": loader_s,
        "raw_s": raw_s,
        "run_s": run_s,
        "valid_accuracy": valid_accuracy,
        "speed_vs_first": 1.0,
    }))


if __name__ == "__main__":
    main()
