"""Writes the PyTorch fixture that ember-models' tests load (alexnet/tests.rs,
`a_pytorch_trained_state_dict_gives_pytorchs_logits`) into
crates/ember-models/fixtures/pytorch/.

Ember's `small` AlexNet (3x32x32 input, 10 classes) in PyTorch (ember_twins.AlexNetSmall,
torchvision's parameter names), trained for 30 Adam steps on a fixed random task so the
weights are PyTorch-trained rather than a fresh initialisation, then saved three ways:

- alexnet_small.pt              torch.save(model.state_dict())
- alexnet_small.safetensors     safetensors.torch.save_file(model.state_dict())
- alexnet_small_io.safetensors  {"input": [4, 3, 32, 32], "logits": [4, 10]}: the logits
                                PyTorch computes for that input in eval mode (float32, CPU)

Rerunning it on the same machine writes the same bytes; another CPU may round the 30 training
steps differently (other SIMD kernels), which changes the weights but not what the test
checks: the logits saved are always those of the weights saved.

Run (Python 3 with torch and safetensors):
    python scripts/pytorch/make_alexnet_fixture.py
"""

import pathlib

import torch
from safetensors.torch import save_file
from torch import nn

from ember_twins import AlexNetSmall

OUT = pathlib.Path(__file__).resolve().parents[2] / "crates/ember-models/fixtures/pytorch"


def main() -> None:
    torch.manual_seed(2012)
    model = AlexNetSmall()
    images = torch.rand(64, 3, 32, 32)
    labels = torch.randint(0, 10, (64,))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    model.train()
    for _ in range(30):
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(model(images), labels)
        loss.backward()
        optimizer.step()
    print(f"training loss after 30 steps: {loss.item():.4f}")

    model.eval()
    state = {k: v.detach().contiguous() for k, v in model.state_dict().items()}
    OUT.mkdir(parents=True, exist_ok=True)
    torch.save(state, OUT / "alexnet_small.pt")
    save_file(state, OUT / "alexnet_small.safetensors")
    x = torch.rand(4, 3, 32, 32)
    with torch.no_grad():
        logits = model(x)
    save_file({"input": x.contiguous(), "logits": logits.contiguous()}, OUT / "alexnet_small_io.safetensors")
    print("logits[0]:", [round(v, 5) for v in logits[0].tolist()])
    for name in ["alexnet_small.pt", "alexnet_small.safetensors", "alexnet_small_io.safetensors"]:
        print(f"wrote {OUT / name} ({(OUT / name).stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
