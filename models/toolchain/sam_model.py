"""Whole MedSAM-family models and the two graphs we export from them.

``SegmentModel`` has exactly the checkpoint's three top-level modules
(``image_encoder``, ``prompt_encoder``, ``mask_decoder``). ``BoxDecoder``
is the decoder graph of the model contract: image embeddings and one box in,
mask token 0's low-resolution logits and IoU estimate out.
"""
from typing import Tuple

import torch
from torch import nn

from .families import Family
from .mask_decoder import MaskDecoder
from .prompt_encoder import PromptEncoder
from .tiny_vit import LITE_INPUT_SIZE, TinyVitImageEncoder
from .vit_encoder import PATCH_SIZE, VIT_INPUT_SIZE, VitImageEncoder

#: Side of the image-embedding grid, for both families.
EMBED_GRID = VIT_INPUT_SIZE // PATCH_SIZE


class SegmentModel(nn.Module):
    """Image encoder, prompt encoder and mask decoder of one family."""

    def __init__(self, image_encoder: nn.Module, input_size: int) -> None:
        super().__init__()
        self.input_size = input_size
        self.image_encoder = image_encoder
        self.prompt_encoder = PromptEncoder(
            input_size, (EMBED_GRID, EMBED_GRID)
        )
        self.mask_decoder = MaskDecoder()


def build_model(family: Family) -> SegmentModel:
    """A randomly initialised model of ``family``, in eval mode.

    Raises
    ------
    ValueError
        If the family has no full architecture (the test family).
    """
    if family is Family.MEDSAM_VIT_B:
        model = SegmentModel(VitImageEncoder(), VIT_INPUT_SIZE)
    elif family is Family.LITE_MEDSAM:
        model = SegmentModel(TinyVitImageEncoder(), LITE_INPUT_SIZE)
    else:
        raise ValueError(
            f'family {family.value!r} has no MedSAM architecture to build'
        )
    return model.eval()


class BoxDecoder(nn.Module):
    """Decoder graph: (embeddings [1,256,64,64], box [1,4]) -> logits, IoU.

    Parameters
    ----------
    model : SegmentModel
        Supplies the prompt encoder and mask decoder weights.
    mask_token : int
        The mask token to answer with (MedSAM: 0).
    """

    def __init__(self, model: SegmentModel, mask_token: int = 0) -> None:
        super().__init__()
        self.prompt_encoder = model.prompt_encoder
        self.mask_decoder = model.mask_decoder
        self.mask_token = mask_token

    def forward(
        self, image_embeddings: torch.Tensor, boxes: torch.Tensor
    ) -> Tuple[torch.Tensor, torch.Tensor]:
        """Low-resolution logits [1,1,256,256] and IoU [1,1]."""
        sparse = self.prompt_encoder.embed_boxes(boxes)
        dense = self.prompt_encoder.dense_prompt(sparse.shape[0])
        positions = self.prompt_encoder.dense_positions()
        return self.mask_decoder(
            image_embeddings, positions, sparse, dense, (self.mask_token,)
        )
