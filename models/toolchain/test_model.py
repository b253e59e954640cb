"""A tiny model with the real export's inputs and outputs, behaviour known.

Encoder: the image's channel-mean brightness, averaged over each patch of
the 64x64 embedding grid, is embedding channel 0 (other channels are fixed
affine copies, so every channel carries data). Decoder: for each low-res
logit pixel, whose centre lies at ((i + 0.5) * S / 256) in model-input
pixels,

    logit = LOGIT_GAIN * min(brightness - 0.5, margin / S)

where ``margin`` is the signed distance of that centre to the nearest box
edge (positive inside). So a logit is positive exactly where the pixel is
brighter than half and lies inside the box; the IoU output is the mean
sigmoid of all logits.
"""
from typing import Tuple

import torch
from torch import nn
from torch.nn import functional as F

from .families import LOW_RES_SIZE

#: Slope of the logits; large enough that sigmoid is near 0 or 1 away from
#: the edges, small enough to keep the edges smooth.
LOGIT_GAIN = 20.0
#: Brightness (after min-max to [0, 1]) that separates bright from dark.
BRIGHT_LEVEL = 0.5
#: Channels and grid of the image embeddings.
EMBED_CHANNELS = 256
EMBED_GRID = 64


class BrightnessEncoder(nn.Module):
    """[1,3,S,S] -> [1,256,64,64]; channel 0 = patch mean brightness."""

    def __init__(self, input_size: int) -> None:
        super().__init__()
        self.patch = input_size // EMBED_GRID
        self.spread = nn.Conv2d(1, EMBED_CHANNELS, kernel_size=1)
        with torch.no_grad():
            ramp = torch.linspace(0.0, 1.0, EMBED_CHANNELS)
            self.spread.weight.copy_(ramp.reshape(-1, 1, 1, 1))
            self.spread.bias.copy_(1.0 - ramp)
            self.spread.weight[0] = 1.0
            self.spread.bias[0] = 0.0

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        """Pool the grey level per patch and spread it over the channels."""
        grey = image.mean(dim=1, keepdim=True)
        return self.spread(F.avg_pool2d(grey, self.patch))


def box_margin(boxes: torch.Tensor, input_size: int) -> torch.Tensor:
    """Signed distance, over S, of each low-res centre to the box edges.

    Parameters
    ----------
    boxes : torch.Tensor
        [1, 4] box [x0, y0, x1, y1] in model-input pixels.
    input_size : int
        S, the model input side.

    Returns
    -------
    torch.Tensor
        [1, 1, 256, 256], positive inside the box.
    """
    step = input_size / LOW_RES_SIZE
    centres = (torch.arange(LOW_RES_SIZE, dtype=torch.float32) + 0.5) * step
    x0, y0, x1, y1 = boxes[:, 0:1], boxes[:, 1:2], boxes[:, 2:3], boxes[:, 3:4]
    across = torch.minimum(centres[None] - x0, x1 - centres[None])
    down = torch.minimum(centres[None] - y0, y1 - centres[None])
    margin = torch.minimum(down[:, :, None], across[:, None, :])
    return (margin / input_size)[:, None]


class BrightBoxDecoder(nn.Module):
    """(embeddings, box) -> low-res logits [1,1,256,256], IoU [1,1]."""

    def __init__(self, input_size: int) -> None:
        super().__init__()
        self.input_size = input_size

    def forward(
        self, image_embeddings: torch.Tensor, boxes: torch.Tensor
    ) -> Tuple[torch.Tensor, torch.Tensor]:
        """Positive logits where bright and inside the box."""
        scale = LOW_RES_SIZE // EMBED_GRID
        bright = F.interpolate(
            image_embeddings[:, 0:1], scale_factor=scale, mode='nearest'
        )
        margin = box_margin(boxes, self.input_size)
        logits = LOGIT_GAIN * torch.minimum(bright - BRIGHT_LEVEL, margin)
        iou = torch.sigmoid(logits).mean(dim=(2, 3))
        return logits, iou
