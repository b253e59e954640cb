"""The Transformers.js layout of a SAM-family model (Xenova/medsam-vit-base).

Two graphs: a vision encoder (``pixel_values`` in; ``image_embeddings`` and
``image_positional_embeddings`` out) and one prompt-encoder-plus-mask-decoder
graph (``input_boxes``, ``image_embeddings``, ``image_positional_embeddings``
in; ``iou_scores`` [1,1,3] and ``pred_masks`` [1,1,3,256,256] out, the masks
of SAM's multi-mask tokens 1..3). Pre-processing follows the Hugging Face
``SamImageProcessor`` defaults: longest side to 1024 (bilinear), rescale by
1/255, ImageNet mean/std, zero padding to 1024x1024.

This module writes the manifest for such a port and a tiny sample model of
the same layout, made here, that proves the manifest format on real graphs.
"""
from typing import Any, Dict, Tuple

import torch
from torch import nn
from torch.nn import functional as F

from .families import (
    LOW_RES_SIZE, MASK_THRESHOLD, SAM_MEAN, SAM_STD, intensity_presets,
)
from .test_model import LOGIT_GAIN, BrightnessEncoder, box_margin

#: Graph names of the layout.
PIXEL_VALUES = 'pixel_values'
IMAGE_EMBEDDINGS = 'image_embeddings'
POSITIONAL_EMBEDDINGS = 'image_positional_embeddings'
INPUT_BOXES = 'input_boxes'
IOU_SCORES = 'iou_scores'
PRED_MASKS = 'pred_masks'
#: File names inside the port's folder.
VISION_FILE = 'onnx/vision_encoder.onnx'
DECODER_FILE = 'onnx/prompt_encoder_mask_decoder.onnx'
#: Encoder input side and the SAM mask tokens in ``pred_masks``.
PORT_INPUT_SIZE = 1024
MULTIMASK_TOKENS = [1, 2, 3]
#: Per-mask brightness levels of the sample decoder (normalised units).
SAMPLE_LEVELS = (-0.5, 0.0, 0.5)


def encoder_spec() -> Dict[str, Any]:
    """Encoder section of a Transformers.js-layout manifest."""
    return {
        'inputName': PIXEL_VALUES,
        'outputNames': [IMAGE_EMBEDDINGS, POSITIONAL_EMBEDDINGS],
        'inputSize': PORT_INPUT_SIZE,
        'resize': 'longest-side-pad',
        'interpolation': 'bilinear',
        'normalisation': {
            'kind': 'mean-std', 'mean': SAM_MEAN, 'std': SAM_STD
        },
    }


def decoder_spec() -> Dict[str, Any]:
    """Decoder section: three masks out (SAM tokens 1..3), the first taken."""
    return {
        'kind': 'transformers-js',
        'inputNames': {
            'imageEmbeddings': IMAGE_EMBEDDINGS,
            'imagePositionalEmbeddings': POSITIONAL_EMBEDDINGS,
            'inputBoxes': INPUT_BOXES,
        },
        'outputNames': {'lowResLogits': PRED_MASKS, 'iou': IOU_SCORES},
        'lowResSize': LOW_RES_SIZE,
        # index into pred_masks: 0 is SAM's mask token 1 (the graph has no
        # token 0, the one MedSAM was trained on)
        'maskToken': 0,
        'threshold': MASK_THRESHOLD,
        'sigmoid': 'after-resize',
        'boxRounding': 'none',
    }


def manifest_body(
    model_id: str, display: str, description: str, family: str,
    licence: str, provenance: str, version: str,
) -> Dict[str, Any]:
    """A Transformers.js-layout manifest without ``files``."""
    return {
        'schemaVersion': 1, 'id': model_id, 'displayName': display,
        'description': description, 'family': family, 'licence': licence,
        'provenance': provenance, 'version': version,
        'encoder': encoder_spec(), 'decoder': decoder_spec(),
        'intensity': intensity_presets(),
    }


class SampleVisionEncoder(nn.Module):
    """pixel_values -> (embeddings, positional embeddings), tiny weights."""

    def __init__(self) -> None:
        super().__init__()
        self.brightness = BrightnessEncoder(PORT_INPUT_SIZE)
        generator = torch.Generator().manual_seed(0)
        grid = (torch.arange(64, dtype=torch.float32) + 0.5) / 64
        freqs = torch.randn(2, 128, generator=generator)
        coords = torch.stack(torch.meshgrid(grid, grid, indexing='xy'), -1)
        angles = 2 * torch.pi * ((2 * coords - 1) @ freqs)
        positions = torch.cat([angles.sin(), angles.cos()], -1)
        positions = positions.permute(2, 0, 1)[None].clone()
        positions[:, 0] = 0.0  # keeps channel 0 pure brightness
        self.register_buffer('positions', positions)

    def forward(
        self, pixel_values: torch.Tensor
    ) -> Tuple[torch.Tensor, torch.Tensor]:
        """Brightness embeddings and a fixed Fourier position grid."""
        embeddings = self.brightness(pixel_values)
        return embeddings, self.positions.expand(embeddings.shape[0], -1,
                                                 -1, -1)


class SampleMaskDecoder(nn.Module):
    """(boxes, embeddings, positions) -> iou [1,1,3], masks [1,1,3,256,256].

    Mask k is positive where embeddings + positions (channel 0) exceeds
    ``SAMPLE_LEVELS[k]`` inside the box.
    """

    def forward(
        self,
        input_boxes: torch.Tensor,
        image_embeddings: torch.Tensor,
        image_positional_embeddings: torch.Tensor,
    ) -> Tuple[torch.Tensor, torch.Tensor]:
        """Three masks at three brightness levels, and their mean sigmoid."""
        source = (image_embeddings + image_positional_embeddings)[:, 0:1]
        bright = F.interpolate(source, scale_factor=4, mode='nearest')
        margin = box_margin(input_boxes[:, 0], PORT_INPUT_SIZE)
        masks = torch.cat([
            LOGIT_GAIN * torch.minimum(bright - level, margin)
            for level in SAMPLE_LEVELS
        ], dim=1)[:, None]
        iou = torch.sigmoid(masks).mean(dim=(3, 4))
        return iou, masks
