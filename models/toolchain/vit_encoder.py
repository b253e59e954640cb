"""MedSAM's image encoder: SAM's ViT-B with windowed and global attention.

The module tree mirrors the official checkpoint's ``image_encoder.*`` keys:
``patch_embed.proj``, ``pos_embed``, ``blocks.N.{norm1, attn, norm2, mlp}``
and a four-layer ``neck``. Attention adds decomposed relative position
terms (height and width tables per block); most blocks attend inside 14x14
windows, the blocks in ``GLOBAL_BLOCKS`` over the whole 64x64 grid.
"""
from functools import partial
from typing import Tuple

import torch
from torch import nn
from torch.nn import functional as F

from .layers import FeedForward, LayerNorm2d

#: Square input side of MedSAM ViT-B, in pixels.
VIT_INPUT_SIZE = 1024
#: Side of one patch, in pixels.
PATCH_SIZE = 16
#: Token width.
VIT_WIDTH = 768
#: Number of transformer blocks.
VIT_DEPTH = 12
#: Attention heads per block.
VIT_HEADS = 12
#: Window side, in tokens, of the windowed blocks.
WINDOW_SIZE = 14
#: Blocks that attend over the whole token grid.
GLOBAL_BLOCKS = (2, 5, 8, 11)
#: Channels of the image embeddings (the neck's output).
EMBED_CHANNELS = 256
#: Layer-norm epsilon of the ViT blocks.
VIT_NORM_EPS = 1e-6


def _relative_table(size: int, table: torch.Tensor) -> torch.Tensor:
    """Expand a (2*size-1, C) table to (size, size, C) by offset q - k."""
    coords = torch.arange(size)
    offsets = coords[:, None] - coords[None, :] + (size - 1)
    return table[offsets]


class RelPosAttention(nn.Module):
    """Multi-head self-attention with decomposed relative positions.

    Parameters
    ----------
    dim : int
        Token width.
    heads : int
        Number of heads.
    grid : tuple of int
        (height, width) of the token grid it attends over.
    """

    def __init__(self, dim: int, heads: int, grid: Tuple[int, int]) -> None:
        super().__init__()
        self.heads = heads
        head_dim = dim // heads
        self.scale = head_dim ** -0.5
        self.qkv = nn.Linear(dim, dim * 3)
        self.proj = nn.Linear(dim, dim)
        self.rel_pos_h = nn.Parameter(torch.zeros(2 * grid[0] - 1, head_dim))
        self.rel_pos_w = nn.Parameter(torch.zeros(2 * grid[1] - 1, head_dim))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Attend over x of shape (B, H, W, C)."""
        b, h, w, _ = x.shape
        qkv = self.qkv(x).reshape(b, h * w, 3, self.heads, -1)
        qkv = qkv.permute(2, 0, 3, 1, 4).reshape(3, b * self.heads, h * w, -1)
        q, k, v = qkv[0], qkv[1], qkv[2]
        attn = (q * self.scale) @ k.transpose(-2, -1)
        attn = self._add_relative(attn, q, h, w)
        attn = attn.softmax(dim=-1)
        out = (attn @ v).view(b, self.heads, h, w, -1)
        out = out.permute(0, 2, 3, 1, 4).reshape(b, h, w, -1)
        return self.proj(out)

    def _add_relative(
        self, attn: torch.Tensor, q: torch.Tensor, h: int, w: int
    ) -> torch.Tensor:
        """Add q . R_h(qy - ky) + q . R_w(qx - kx) to the logits."""
        table_h = _relative_table(h, self.rel_pos_h)  # (h, h, c)
        table_w = _relative_table(w, self.rel_pos_w)  # (w, w, c)
        n, _, c = q.shape
        rq = q.reshape(n, h, w, c)
        # matmul rather than einsum: plainer ONNX for the web backends
        rel_h = torch.matmul(rq, table_h.transpose(1, 2))  # (n, h, w, h)
        rel_w = torch.matmul(
            rq.transpose(1, 2), table_w.transpose(1, 2)
        ).transpose(1, 2)  # (n, h, w, w)
        attn = attn.view(n, h, w, h, w)
        attn = attn + rel_h[:, :, :, :, None] + rel_w[:, :, :, None, :]
        return attn.view(n, h * w, h * w)


class VitBlock(nn.Module):
    """Pre-norm transformer block, windowed when ``window`` > 0.

    Parameters
    ----------
    window : int
        Window side in tokens, or 0 for global attention.
    grid : tuple of int
        Token grid of the whole image, for the global blocks' tables.
    """

    def __init__(self, window: int, grid: Tuple[int, int]) -> None:
        super().__init__()
        norm = partial(nn.LayerNorm, eps=VIT_NORM_EPS)
        self.window = window
        self.norm1 = norm(VIT_WIDTH)
        self.attn = RelPosAttention(
            VIT_WIDTH, VIT_HEADS, (window, window) if window else grid
        )
        self.norm2 = norm(VIT_WIDTH)
        self.mlp = FeedForward(VIT_WIDTH, 4 * VIT_WIDTH)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Apply attention and MLP with residuals to x (B, H, W, C)."""
        shortcut = x
        x = self.norm1(x)
        if self.window:
            h, w = x.shape[1], x.shape[2]
            windows, padded = _to_windows(x, self.window)
            x = _from_windows(self.attn(windows), self.window, padded, (h, w))
        else:
            x = self.attn(x)
        x = shortcut + x
        return x + self.mlp(self.norm2(x))


def _to_windows(
    x: torch.Tensor, size: int
) -> Tuple[torch.Tensor, Tuple[int, int]]:
    """Zero-pad (B, H, W, C) to multiples of size and cut into windows."""
    b, h, w, c = x.shape
    pad_h = (size - h % size) % size
    pad_w = (size - w % size) % size
    if pad_h or pad_w:
        x = F.pad(x, (0, 0, 0, pad_w, 0, pad_h))
    hp, wp = h + pad_h, w + pad_w
    x = x.view(b, hp // size, size, wp // size, size, c)
    windows = x.permute(0, 1, 3, 2, 4, 5).reshape(-1, size, size, c)
    return windows, (hp, wp)


def _from_windows(
    windows: torch.Tensor,
    size: int,
    padded: Tuple[int, int],
    original: Tuple[int, int],
) -> torch.Tensor:
    """Inverse of ``_to_windows``: reassemble and drop the padding."""
    hp, wp = padded
    h, w = original
    b = windows.shape[0] // ((hp // size) * (wp // size))
    x = windows.view(b, hp // size, wp // size, size, size, -1)
    x = x.permute(0, 1, 3, 2, 4, 5).reshape(b, hp, wp, -1)
    return x[:, :h, :w, :]


class PatchProjection(nn.Module):
    """Non-overlapping 16x16 patches to tokens (key ``proj``)."""

    def __init__(self) -> None:
        super().__init__()
        self.proj = nn.Conv2d(
            3, VIT_WIDTH, kernel_size=PATCH_SIZE, stride=PATCH_SIZE
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(B, 3, S, S) -> (B, S/16, S/16, C)."""
        return self.proj(x).permute(0, 2, 3, 1)


class VitImageEncoder(nn.Module):
    """MedSAM ViT-B: [B, 3, 1024, 1024] in [0, 1] -> [B, 256, 64, 64]."""

    def __init__(self) -> None:
        super().__init__()
        side = VIT_INPUT_SIZE // PATCH_SIZE
        self.patch_embed = PatchProjection()
        self.pos_embed = nn.Parameter(torch.zeros(1, side, side, VIT_WIDTH))
        self.blocks = nn.ModuleList(
            VitBlock(0 if i in GLOBAL_BLOCKS else WINDOW_SIZE, (side, side))
            for i in range(VIT_DEPTH)
        )
        self.neck = nn.Sequential(
            nn.Conv2d(VIT_WIDTH, EMBED_CHANNELS, kernel_size=1, bias=False),
            LayerNorm2d(EMBED_CHANNELS),
            nn.Conv2d(
                EMBED_CHANNELS, EMBED_CHANNELS, kernel_size=3, padding=1,
                bias=False,
            ),
            LayerNorm2d(EMBED_CHANNELS),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Encode a batch of normalised images."""
        x = self.patch_embed(x) + self.pos_embed
        for block in self.blocks:
            x = block(x)
        return self.neck(x.permute(0, 3, 1, 2))
