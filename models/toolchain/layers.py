"""Small building blocks shared by the encoders and the mask decoder."""
from typing import List

import torch
from torch import nn
from torch.nn import functional as F


class LayerNorm2d(nn.Module):
    """Layer norm over the channel axis of an NCHW tensor.

    Parameters
    ----------
    channels : int
        Number of channels (the normalised axis).
    eps : float
        Added to the variance; SAM-family necks use 1e-6.
    """

    def __init__(self, channels: int, eps: float = 1e-6) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.ones(channels))
        self.bias = nn.Parameter(torch.zeros(channels))
        self.eps = eps

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Normalise each pixel's channel vector."""
        mean = x.mean(1, keepdim=True)
        var = (x - mean).pow(2).mean(1, keepdim=True)
        x = (x - mean) / torch.sqrt(var + self.eps)
        return self.weight[:, None, None] * x + self.bias[:, None, None]


class FeedForward(nn.Module):
    """Two linear layers with an activation between (keys lin1, lin2).

    Parameters
    ----------
    dim : int
        Input and output width.
    hidden : int
        Hidden width.
    activation : type of nn.Module
        GELU in the ViT blocks, ReLU in the two-way transformer.
    """

    def __init__(
        self, dim: int, hidden: int, activation: type = nn.GELU
    ) -> None:
        super().__init__()
        self.lin1 = nn.Linear(dim, hidden)
        self.lin2 = nn.Linear(hidden, dim)
        self.act = activation()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Apply lin2(act(lin1(x)))."""
        return self.lin2(self.act(self.lin1(x)))


class StackedLinear(nn.Module):
    """A ReLU multilayer perceptron kept under the key ``layers``.

    Parameters
    ----------
    dims : list of int
        Widths from input to output; ``len(dims) - 1`` linear layers.
    """

    def __init__(self, dims: List[int]) -> None:
        super().__init__()
        self.layers = nn.ModuleList(
            nn.Linear(a, b) for a, b in zip(dims[:-1], dims[1:])
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """ReLU after every layer but the last."""
        last = len(self.layers) - 1
        for index, layer in enumerate(self.layers):
            x = layer(x)
            if index < last:
                x = F.relu(x)
        return x
