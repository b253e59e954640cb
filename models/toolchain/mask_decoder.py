"""SAM's mask decoder and its two-way transformer (MedSAM's weights).

Output tokens (one IoU token, four mask tokens) and the prompt tokens
attend to the image embeddings and back in two two-way blocks; the upscaled
image features are then weighted per mask token by a small hypernetwork.
MedSAM was trained on mask token 0 alone (``multimask_output=False``).
"""
import math
from typing import Tuple

import torch
from torch import nn

from .layers import FeedForward, LayerNorm2d, StackedLinear

#: Token and image-feature width.
DECODER_WIDTH = 256
#: Two-way transformer blocks.
TRANSFORMER_DEPTH = 2
#: Attention heads.
DECODER_HEADS = 8
#: Hidden width of the token MLP.
TRANSFORMER_MLP = 2048
#: Cross-attention works at this fraction of the width.
CROSS_DOWNSAMPLE = 2
#: SAM's mask tokens: token 0 for one mask, 1..3 for ambiguous prompts.
MASK_TOKEN_COUNT = 4
#: Layers and hidden width of the IoU head.
IOU_HEAD_DEPTH = 3
IOU_HEAD_WIDTH = 256


class ProjectedAttention(nn.Module):
    """Multi-head attention with q/k/v/out projections, optional narrowing.

    Parameters
    ----------
    width : int
        Token width.
    heads : int
        Number of heads.
    downsample : int
        The projections map to ``width // downsample`` channels.
    """

    def __init__(self, width: int, heads: int, downsample: int = 1) -> None:
        super().__init__()
        inner = width // downsample
        self.heads = heads
        self.divisor = math.sqrt(inner // heads)
        self.q_proj = nn.Linear(width, inner)
        self.k_proj = nn.Linear(width, inner)
        self.v_proj = nn.Linear(width, inner)
        self.out_proj = nn.Linear(inner, width)

    def _split(self, x: torch.Tensor) -> torch.Tensor:
        b, n, c = x.shape
        return x.reshape(b, n, self.heads, c // self.heads).transpose(1, 2)

    def forward(
        self, q: torch.Tensor, k: torch.Tensor, v: torch.Tensor
    ) -> torch.Tensor:
        """Attend from q to (k, v); all (B, N, C)."""
        q = self._split(self.q_proj(q))
        k = self._split(self.k_proj(k))
        v = self._split(self.v_proj(v))
        attn = (q @ k.transpose(2, 3)) / self.divisor
        out = attn.softmax(dim=-1) @ v
        b, h, n, c = out.shape
        return self.out_proj(out.transpose(1, 2).reshape(b, n, h * c))


class TwoWayBlock(nn.Module):
    """Token self-attention, tokens->image, MLP, image->tokens."""

    def __init__(self, skip_first_pe: bool) -> None:
        super().__init__()
        w, h = DECODER_WIDTH, DECODER_HEADS
        self.skip_first_pe = skip_first_pe
        self.self_attn = ProjectedAttention(w, h)
        self.norm1 = nn.LayerNorm(w)
        self.cross_attn_token_to_image = ProjectedAttention(
            w, h, CROSS_DOWNSAMPLE
        )
        self.norm2 = nn.LayerNorm(w)
        self.mlp = FeedForward(w, TRANSFORMER_MLP, nn.ReLU)
        self.norm3 = nn.LayerNorm(w)
        self.norm4 = nn.LayerNorm(w)
        self.cross_attn_image_to_token = ProjectedAttention(
            w, h, CROSS_DOWNSAMPLE
        )

    def forward(
        self,
        queries: torch.Tensor,
        keys: torch.Tensor,
        query_pe: torch.Tensor,
        key_pe: torch.Tensor,
    ) -> Tuple[torch.Tensor, torch.Tensor]:
        """Update token queries and image keys."""
        if self.skip_first_pe:
            queries = self.self_attn(queries, queries, queries)
        else:
            q = queries + query_pe
            queries = queries + self.self_attn(q, q, queries)
        queries = self.norm1(queries)
        k = keys + key_pe
        q = queries + query_pe
        queries = self.norm2(
            queries + self.cross_attn_token_to_image(q, k, keys)
        )
        queries = self.norm3(queries + self.mlp(queries))
        q = queries + query_pe
        keys = self.norm4(
            keys + self.cross_attn_image_to_token(k, q, queries)
        )
        return queries, keys


class TwoWayTransformer(nn.Module):
    """Two two-way blocks and a final token-to-image attention."""

    def __init__(self) -> None:
        super().__init__()
        self.layers = nn.ModuleList(
            TwoWayBlock(skip_first_pe=(i == 0))
            for i in range(TRANSFORMER_DEPTH)
        )
        self.final_attn_token_to_image = ProjectedAttention(
            DECODER_WIDTH, DECODER_HEADS, CROSS_DOWNSAMPLE
        )
        self.norm_final_attn = nn.LayerNorm(DECODER_WIDTH)

    def forward(
        self, image: torch.Tensor, image_pe: torch.Tensor, tokens: torch.Tensor
    ) -> Tuple[torch.Tensor, torch.Tensor]:
        """image, image_pe (B, C, h, w); tokens (B, N, C)."""
        keys = image.flatten(2).permute(0, 2, 1)
        key_pe = image_pe.flatten(2).permute(0, 2, 1)
        queries = tokens
        for layer in self.layers:
            queries, keys = layer(queries, keys, tokens, key_pe)
        q = queries + tokens
        k = keys + key_pe
        queries = self.norm_final_attn(
            queries + self.final_attn_token_to_image(q, k, keys)
        )
        return queries, keys


class MaskDecoder(nn.Module):
    """Predicts low-resolution mask logits and IoU estimates per token."""

    def __init__(self) -> None:
        super().__init__()
        w = DECODER_WIDTH
        self.transformer = TwoWayTransformer()
        self.iou_token = nn.Embedding(1, w)
        self.mask_tokens = nn.Embedding(MASK_TOKEN_COUNT, w)
        self.output_upscaling = nn.Sequential(
            nn.ConvTranspose2d(w, w // 4, kernel_size=2, stride=2),
            LayerNorm2d(w // 4),
            nn.GELU(),
            nn.ConvTranspose2d(w // 4, w // 8, kernel_size=2, stride=2),
            nn.GELU(),
        )
        self.output_hypernetworks_mlps = nn.ModuleList(
            StackedLinear([w, w, w, w // 8]) for _ in range(MASK_TOKEN_COUNT)
        )
        self.iou_prediction_head = StackedLinear(
            [w] + [IOU_HEAD_WIDTH] * (IOU_HEAD_DEPTH - 1) + [MASK_TOKEN_COUNT]
        )

    def forward(
        self,
        image: torch.Tensor,
        image_pe: torch.Tensor,
        sparse: torch.Tensor,
        dense: torch.Tensor,
        tokens_wanted: Tuple[int, ...],
    ) -> Tuple[torch.Tensor, torch.Tensor]:
        """Masks (B, T, 4h, 4w) and IoU (B, T) for the wanted mask tokens.

        Parameters
        ----------
        image : torch.Tensor
            Image embeddings (B, C, h, w), one per prompt.
        image_pe : torch.Tensor
            Dense position encoding (1, C, h, w).
        sparse : torch.Tensor
            Prompt tokens (B, N, C).
        dense : torch.Tensor
            Dense prompt (B, C, h, w).
        tokens_wanted : tuple of int
            Mask tokens to answer with, in order (MedSAM: ``(0,)``).
        """
        b = sparse.shape[0]
        output_tokens = torch.cat(
            [self.iou_token.weight, self.mask_tokens.weight], dim=0
        )
        tokens = torch.cat([output_tokens[None].expand(b, -1, -1), sparse], 1)
        src = image + dense
        pos = image_pe.expand(b, -1, -1, -1)
        _, c, h, w = src.shape
        hs, src = self.transformer(src, pos, tokens)
        upscaled = self.output_upscaling(src.transpose(1, 2).view(b, c, h, w))
        hyper = torch.stack([
            self.output_hypernetworks_mlps[t](hs[:, 1 + t, :])
            for t in tokens_wanted
        ], dim=1)
        _, c8, h4, w4 = upscaled.shape
        masks = (hyper @ upscaled.view(b, c8, h4 * w4)).view(b, -1, h4, w4)
        iou = self.iou_prediction_head(hs[:, 0, :])
        return masks, iou[:, list(tokens_wanted)]
