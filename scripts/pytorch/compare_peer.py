"""The PyTorch column of `cargo xtask compare-backends --peer pytorch`.

Runs the same architecture (ember_twins), batch shape and optimizer (Adam, lr 1e-3,
cross-entropy) as compare-backends does in Ember, times the forward pass (no_grad, eval)
and the training step (forward, loss, backward, step) after warm-up steps, and prints one
JSON object in compare-backends' row layout on stdout.

    python scripts/pytorch/compare_peer.py --model lenet --batch 64 --steps 10 --warmup 2 \
        [--threads N] [--seq-len 200 --vocab 20000]
"""

import argparse
import json
import statistics
import time

import torch
from torch import nn

import ember_twins


def stats(samples):
    return {"median": statistics.median(samples), "min": min(samples), "max": max(samples)}


def rss_mib():
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        return None
    return None


def workload(args):
    """The model, its input batch, the labels and the other unit counted per batch."""
    n = args.batch
    if args.model == "lenet":
        return ember_twins.lenet5_modern(), torch.rand(n, 1, 32, 32) * 2 - 1, torch.arange(n) % 10, None
    if args.model == "alexnet":
        return ember_twins.AlexNetSmall(dropout=0.0), torch.rand(n, 3, 32, 32), torch.arange(n) % 10, None
    model = ember_twins.LstmClassifier(args.vocab, args.embed, args.hidden, 2)
    tokens = torch.randint(2, args.vocab, (n, args.seq_len))
    return model, tokens, torch.arange(n) % 2, n * args.seq_len


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", choices=["lenet", "alexnet", "lstm"], default="lenet")
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--threads", type=int)
    parser.add_argument("--seq-len", type=int, default=200)
    parser.add_argument("--vocab", type=int, default=20000)
    parser.add_argument("--embed", type=int, default=100)
    parser.add_argument("--hidden", type=int, default=128)
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(42)
    model, x, y, units = workload(args)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()

    def forward():
        model.eval()
        with torch.no_grad():
            model(x).sum().item()

    def step():
        model.train()
        optimizer.zero_grad()
        loss_fn(model(x), y).backward()
        optimizer.step()

    start = time.perf_counter()
    for _ in range(args.warmup):
        forward()
        step()
    warmup_s = time.perf_counter() - start

    def timed(f):
        samples = []
        for _ in range(max(args.steps, 1)):
            t = time.perf_counter()
            f()
            samples.append((time.perf_counter() - t) * 1e3)
        return samples

    forward_ms = stats(timed(forward))
    step_ms = stats(timed(step))
    per_s = lambda count: count / (step_ms["median"] / 1e3)
    print(json.dumps({
        "backend": "pytorch",
        "device": f"PyTorch {torch.__version__} CPU, {torch.get_num_threads()} threads",
        "warmup_s": warmup_s,
        "forward_ms": forward_ms,
        "step_ms": step_ms,
        "items_per_s": per_s(args.batch),
        "units_per_s": per_s(units) if units else None,
        "speed_vs_first": 1.0,
        "process_rss_mib": rss_mib(),
        "parity": None,
    }))


if __name__ == "__main__":
    main()
