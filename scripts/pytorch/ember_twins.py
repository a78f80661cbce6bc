"""Ember's models written in PyTorch, layer for layer, under PyTorch's usual names.

Used by make_alexnet_fixture.py (the weights ember-models' tests load) and by
compare_peer.py (the PyTorch column of `cargo xtask compare-backends --peer pytorch`).
Each twin computes what its Ember model computes at inference; the parameter counts match
`cargo xtask summary <model>`.
"""

import torch
from torch import nn


def lenet5_modern(classes: int = 10) -> nn.Module:
    """ember-models' LeNet5 modern (d2l 7.6): 1x32x32 input, conv 6@5x5, ReLU, max-pool 2,
    conv 16@5x5, ReLU, max-pool 2, dense 120, 84, classes."""
    return nn.Sequential(
        nn.Conv2d(1, 6, 5),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(400, 120),
        nn.ReLU(),
        nn.Linear(120, 84),
        nn.ReLU(),
        nn.Linear(84, classes),
    )


class AlexNetSmall(nn.Module):
    """ember-models' AlexNet `small`: 5x5 conv1 with padding 2, 3x3 convs with padding 1,
    3x3/2 max-pools padded by 1 (32 -> 16 -> 8 -> 4), 32-64-96-96-64 maps, 256-unit dense
    layers, under torchvision's AlexNet layout (`features.0/3/6/8/10`, `classifier.1/4/6`).
    Ember's small variant drops out after fc6 and fc7, torchvision before them: the names
    follow torchvision, and at inference dropout is the identity, so the logits do not
    depend on where it sits."""

    def __init__(self, in_channels: int = 3, classes: int = 10, dropout: float = 0.5):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(in_channels, 32, 5, padding=2),  # 0 conv1
            nn.ReLU(),
            nn.MaxPool2d(3, 2, padding=1),
            nn.Conv2d(32, 64, 3, padding=1),  # 3 conv2
            nn.ReLU(),
            nn.MaxPool2d(3, 2, padding=1),
            nn.Conv2d(64, 96, 3, padding=1),  # 6 conv3
            nn.ReLU(),
            nn.Conv2d(96, 96, 3, padding=1),  # 8 conv4
            nn.ReLU(),
            nn.Conv2d(96, 64, 3, padding=1),  # 10 conv5
            nn.ReLU(),
            nn.MaxPool2d(3, 2, padding=1),
        )
        self.classifier = nn.Sequential(
            nn.Dropout(dropout),
            nn.Linear(64 * 4 * 4, 256),  # 1 fc6
            nn.ReLU(),
            nn.Dropout(dropout),
            nn.Linear(256, 256),  # 4 fc7
            nn.ReLU(),
            nn.Linear(256, classes),  # 6 fc8
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.classifier(torch.flatten(self.features(x), 1))


class LstmClassifier(nn.Module):
    """ember-models' LstmClassifier with max pooling: embedding, one unidirectional
    nn.LSTM layer (batch first), the element-wise maximum over the real time steps, a dense
    head. Rows are assumed unpadded (every length the full width), as in compare_peer.py."""

    def __init__(self, vocab: int, embed: int = 100, hidden: int = 128, classes: int = 2):
        super().__init__()
        self.embedding = nn.Embedding(vocab, embed)
        self.lstm = nn.LSTM(embed, hidden, batch_first=True)
        self.head = nn.Linear(hidden, classes)

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        states, _ = self.lstm(self.embedding(tokens))
        return self.head(states.max(dim=1).values)
