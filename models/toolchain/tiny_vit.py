"""LiteMedSAM's image encoder: TinyViT adapted to a 256-pixel input.

Module names mirror the official checkpoint's ``image_encoder.*`` keys
(``patch_embed.seq``, ``layers.N.blocks.M``, ``layers.N.downsample``,
``neck``). Shapes through the network for a 256x256 input: the patch
embedding keeps 256x256 (1x1 convolutions, 64 channels); stage 0 is
convolutional and halves to 128x128; stages 1 and 2 are windowed attention,
stage 1 halving to 64x64 and stage 2 keeping 64x64 (its 320-channel merge
has stride 1); stage 3 runs at 64x64 and the neck maps 320 to 256 channels.
"""
from typing import List, Tuple

import torch
from torch import nn
from torch.nn import functional as F

from .layers import LayerNorm2d

#: Square input side of LiteMedSAM, in pixels.
LITE_INPUT_SIZE = 256
#: Channels per stage.
STAGE_WIDTHS = (64, 128, 160, 320)
#: Blocks per stage.
STAGE_DEPTHS = (2, 2, 6, 2)
#: Attention heads per stage (stage 0 is convolutional).
STAGE_HEADS = (2, 4, 5, 10)
#: Attention window side per stage, in tokens.
STAGE_WINDOWS = (7, 7, 14, 7)
#: Token grid side per stage for a 256-pixel input.
STAGE_GRIDS = (256, 128, 64, 64)
#: Hidden-width ratio of the MBConv blocks and the MLPs.
EXPANSION = 4
#: Merge layers whose output width is this keep the resolution.
STRIDE_ONE_WIDTH = 320
#: Side of the image-embedding grid.
EMBED_GRID = 64
#: Channels of the image embeddings.
EMBED_CHANNELS = 256


class ConvNorm(nn.Sequential):
    """Bias-free convolution followed by batch norm (keys ``c``, ``bn``)."""

    def __init__(
        self,
        cin: int,
        cout: int,
        kernel: int = 1,
        stride: int = 1,
        groups: int = 1,
    ) -> None:
        super().__init__()
        self.add_module('c', nn.Conv2d(
            cin, cout, kernel, stride, kernel // 2, groups=groups, bias=False
        ))
        self.add_module('bn', nn.BatchNorm2d(cout))


class PatchEmbedding(nn.Module):
    """Two 1x1 conv-norms with GELU between: 3 -> 32 -> 64 channels."""

    def __init__(self) -> None:
        super().__init__()
        width = STAGE_WIDTHS[0]
        self.seq = nn.Sequential(
            ConvNorm(3, width // 2), nn.GELU(), ConvNorm(width // 2, width)
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(B, 3, S, S) -> (B, 64, S, S)."""
        return self.seq(x)


class InvertedResidual(nn.Module):
    """MBConv: expand, depthwise 3x3, project, residual, GELU."""

    def __init__(self, width: int) -> None:
        super().__init__()
        hidden = width * EXPANSION
        self.conv1 = ConvNorm(width, hidden)
        self.conv2 = ConvNorm(hidden, hidden, 3, groups=hidden)
        self.conv3 = ConvNorm(hidden, width)
        self.act = nn.GELU()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Apply the block to (B, C, H, W)."""
        y = self.act(self.conv1(x))
        y = self.act(self.conv2(y))
        return self.act(self.conv3(y) + x)


class PatchMerging(nn.Module):
    """Widen (and, unless 320 wide, halve) the grid between stages."""

    def __init__(self, grid: int, cin: int, cout: int) -> None:
        super().__init__()
        self.grid = grid
        stride = 1 if cout == STRIDE_ONE_WIDTH else 2
        self.conv1 = ConvNorm(cin, cout)
        self.conv2 = ConvNorm(cout, cout, 3, stride, groups=cout)
        self.conv3 = ConvNorm(cout, cout)
        self.act = nn.GELU()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Take (B, C, H, W) or tokens (B, H*W, C); give tokens."""
        if x.dim() == 3:
            b = x.shape[0]
            x = x.view(b, self.grid, self.grid, -1).permute(0, 3, 1, 2)
        x = self.act(self.conv1(x))
        x = self.act(self.conv2(x))
        x = self.conv3(x)
        return x.flatten(2).transpose(1, 2)


def _bias_index(window: int) -> torch.Tensor:
    """Index of |dy|*window + |dx| for every pair of window positions.

    The official code numbers each distinct offset in order of first
    appearance; scanning from position (0, 0) first meets every offset
    (dy, dx) at index dy*window + dx, which is what this computes.
    """
    ys, xs = torch.meshgrid(
        torch.arange(window), torch.arange(window), indexing='ij'
    )
    ys, xs = ys.flatten(), xs.flatten()
    dy = (ys[:, None] - ys[None, :]).abs()
    dx = (xs[:, None] - xs[None, :]).abs()
    return dy * window + dx


class WindowAttention(nn.Module):
    """Pre-normed attention with a learned bias per offset and head."""

    def __init__(self, width: int, heads: int, window: int) -> None:
        super().__init__()
        self.heads = heads
        self.key_dim = width // heads
        self.scale = self.key_dim ** -0.5
        self.norm = nn.LayerNorm(width)
        self.qkv = nn.Linear(width, 3 * width)
        self.proj = nn.Linear(width, width)
        self.attention_biases = nn.Parameter(
            torch.zeros(heads, window * window)
        )
        self.register_buffer(
            'bias_index', _bias_index(window), persistent=False
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Attend within windows given as (B*nW, window*window, C)."""
        b, n, _ = x.shape
        x = self.norm(x)
        # per head, the projection holds q, k and v side by side
        qkv = self.qkv(x).view(b, n, self.heads, 3 * self.key_dim)
        q, k, v = qkv.permute(0, 2, 1, 3).split(self.key_dim, dim=3)
        bias = self.attention_biases[:, self.bias_index]
        attn = (q @ k.transpose(-2, -1)) * self.scale + bias
        out = (attn.softmax(dim=-1) @ v).transpose(1, 2).reshape(b, n, -1)
        return self.proj(out)


class TokenMlp(nn.Module):
    """Pre-normed MLP (keys ``norm``, ``fc1``, ``fc2``)."""

    def __init__(self, width: int) -> None:
        super().__init__()
        self.norm = nn.LayerNorm(width)
        self.fc1 = nn.Linear(width, width * EXPANSION)
        self.fc2 = nn.Linear(width * EXPANSION, width)
        self.act = nn.GELU()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Apply the MLP to tokens."""
        return self.fc2(self.act(self.fc1(self.norm(x))))


class TinyVitBlock(nn.Module):
    """Window attention, depthwise 3x3 conv-norm, MLP, on a token grid."""

    def __init__(
        self, width: int, heads: int, window: int, grid: int
    ) -> None:
        super().__init__()
        self.window = window
        self.grid = grid
        self.attn = WindowAttention(width, heads, window)
        self.mlp = TokenMlp(width)
        self.local_conv = ConvNorm(width, width, 3, groups=width)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Apply the block to tokens (B, H*W, C)."""
        b, n, c = x.shape
        x = x + self._windowed(x)
        x = x.transpose(1, 2).reshape(b, c, self.grid, self.grid)
        x = self.local_conv(x).view(b, c, n).transpose(1, 2)
        return x + self.mlp(x)

    def _windowed(self, x: torch.Tensor) -> torch.Tensor:
        """Zero-pad the grid to whole windows, attend, crop back."""
        b, n, c = x.shape
        side, size = self.grid, self.window
        if side == size:
            return self.attn(x)
        pad = (size - side % size) % size
        x = x.view(b, side, side, c)
        if pad:
            x = F.pad(x, (0, 0, 0, pad, 0, pad))
        count = (side + pad) // size
        x = x.view(b, count, size, count, size, c).transpose(2, 3)
        x = self.attn(x.reshape(b * count * count, size * size, c))
        x = x.view(b, count, count, size, size, c).transpose(2, 3)
        x = x.reshape(b, side + pad, side + pad, c)[:, :side, :side]
        return x.reshape(b, n, c)


class Stage(nn.Module):
    """One TinyViT stage: blocks then an optional merge (``downsample``)."""

    def __init__(self, blocks: List[nn.Module], merge: nn.Module) -> None:
        super().__init__()
        self.blocks = nn.ModuleList(blocks)
        self.downsample = merge

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Run the blocks, then the merge when there is one."""
        for block in self.blocks:
            x = block(x)
        return x if self.downsample is None else self.downsample(x)


def _build_stage(index: int) -> Stage:
    """Stage ``index`` with the LiteMedSAM widths, depths and windows."""
    width, grid = STAGE_WIDTHS[index], STAGE_GRIDS[index]
    depth = STAGE_DEPTHS[index]
    blocks: List[nn.Module]
    if index == 0:
        blocks = [InvertedResidual(width) for _ in range(depth)]
    else:
        heads, window = STAGE_HEADS[index], STAGE_WINDOWS[index]
        blocks = [
            TinyVitBlock(width, heads, window, grid) for _ in range(depth)
        ]
    last = index == len(STAGE_WIDTHS) - 1
    merge = None if last else PatchMerging(
        grid, width, STAGE_WIDTHS[index + 1]
    )
    return Stage(blocks, merge)


class TinyVitImageEncoder(nn.Module):
    """LiteMedSAM: [B, 3, 256, 256] in [0, 1] -> [B, 256, 64, 64]."""

    def __init__(self) -> None:
        super().__init__()
        self.patch_embed = PatchEmbedding()
        self.layers = nn.ModuleList(
            _build_stage(i) for i in range(len(STAGE_WIDTHS))
        )
        width = STAGE_WIDTHS[-1]
        self.neck = nn.Sequential(
            nn.Conv2d(width, EMBED_CHANNELS, kernel_size=1, bias=False),
            LayerNorm2d(EMBED_CHANNELS),
            nn.Conv2d(
                EMBED_CHANNELS, EMBED_CHANNELS, kernel_size=3, padding=1,
                bias=False,
            ),
            LayerNorm2d(EMBED_CHANNELS),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Encode a batch of normalised, padded images."""
        x = self.patch_embed(x)
        for stage in self.layers:
            x = stage(x)
        b, _, c = x.shape
        x = x.view(b, EMBED_GRID, EMBED_GRID, c).permute(0, 3, 1, 2)
        return self.neck(x)


def embedding_grid() -> Tuple[int, int]:
    """(height, width) of the embedding grid, for the prompt encoder."""
    return EMBED_GRID, EMBED_GRID
