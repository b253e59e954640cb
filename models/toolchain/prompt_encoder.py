"""SAM's prompt encoder, as the MedSAM checkpoints store it.

Only the box path runs in our exports: the two box corners become two
sparse tokens (random-Fourier position encoding plus a learned corner
embedding) and the dense prompt is the learned no-mask embedding. The point
and mask-input parameters are kept so that checkpoints load strictly.
"""
import math
from typing import Tuple

import torch
from torch import nn

from .layers import LayerNorm2d

#: Width of prompt tokens and image embeddings.
PROMPT_WIDTH = 256
#: Hidden channels of the (unused here) mask-input downscaler.
MASK_IN_CHANNELS = 16
#: Learned point embeddings: negative point, positive point, two corners.
POINT_EMBEDDING_COUNT = 4
#: Index of the top-left corner's embedding among the point embeddings.
TOP_LEFT_EMBEDDING = 2


class FourierPositions(nn.Module):
    """Random Fourier features of coordinates in [0, 1]."""

    def __init__(self, features: int) -> None:
        super().__init__()
        self.register_buffer(
            'positional_encoding_gaussian_matrix', torch.randn(2, features)
        )

    def encode(self, coords: torch.Tensor) -> torch.Tensor:
        """(..., 2) in [0, 1] -> (..., 2 * features)."""
        projected = (2 * coords - 1) @ self.positional_encoding_gaussian_matrix
        projected = 2 * math.pi * projected
        return torch.cat([torch.sin(projected), torch.cos(projected)], dim=-1)

    def dense(self, grid: Tuple[int, int]) -> torch.Tensor:
        """Encoding of every cell centre of a (h, w) grid: (C, h, w)."""
        h, w = grid
        ys = (torch.arange(h, dtype=torch.float32) + 0.5) / h
        xs = (torch.arange(w, dtype=torch.float32) + 0.5) / w
        coords = torch.stack([
            xs[None, :].expand(h, w), ys[:, None].expand(h, w)
        ], dim=-1)
        return self.encode(coords).permute(2, 0, 1)


class PromptEncoder(nn.Module):
    """Boxes to sparse tokens; the no-mask embedding as the dense prompt.

    Parameters
    ----------
    input_size : int
        Side of the square encoder input the boxes are given in.
    grid : tuple of int
        (height, width) of the image-embedding grid.
    """

    def __init__(self, input_size: int, grid: Tuple[int, int]) -> None:
        super().__init__()
        self.input_size = input_size
        self.grid = grid
        self.pe_layer = FourierPositions(PROMPT_WIDTH // 2)
        self.point_embeddings = nn.ModuleList(
            nn.Embedding(1, PROMPT_WIDTH)
            for _ in range(POINT_EMBEDDING_COUNT)
        )
        self.not_a_point_embed = nn.Embedding(1, PROMPT_WIDTH)
        quarter = MASK_IN_CHANNELS // 4
        self.mask_downscaling = nn.Sequential(
            nn.Conv2d(1, quarter, kernel_size=2, stride=2),
            LayerNorm2d(quarter),
            nn.GELU(),
            nn.Conv2d(quarter, MASK_IN_CHANNELS, kernel_size=2, stride=2),
            LayerNorm2d(MASK_IN_CHANNELS),
            nn.GELU(),
            nn.Conv2d(MASK_IN_CHANNELS, PROMPT_WIDTH, kernel_size=1),
        )
        self.no_mask_embed = nn.Embedding(1, PROMPT_WIDTH)

    def embed_boxes(self, boxes: torch.Tensor) -> torch.Tensor:
        """(B, 4) pixel-corner boxes [x0, y0, x1, y1] -> (B, 2, C) tokens."""
        corners = (boxes.reshape(-1, 2, 2) + 0.5) / self.input_size
        tokens = self.pe_layer.encode(corners)
        first = self.point_embeddings[TOP_LEFT_EMBEDDING].weight
        second = self.point_embeddings[TOP_LEFT_EMBEDDING + 1].weight
        return tokens + torch.cat([first, second], dim=0)[None]

    def dense_prompt(self, batch: int) -> torch.Tensor:
        """The no-mask embedding broadcast over the grid: (B, C, h, w)."""
        h, w = self.grid
        return self.no_mask_embed.weight.reshape(1, -1, 1, 1).expand(
            batch, -1, h, w
        )

    def dense_positions(self) -> torch.Tensor:
        """Position encoding of the embedding grid: (1, C, h, w)."""
        return self.pe_layer.dense(self.grid)[None]
