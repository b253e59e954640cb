"""Regenerate the committed test model (deterministic: no random weights).

Usage (from the repository root)::

    /usr/bin/python3 -m models.toolchain.make_test_model --out models/test-model
"""
import argparse
import logging
import sys
import warnings
from pathlib import Path
from typing import List, Optional

import torch

from .export import DECODER_FILE, ENCODER_FILE, embeddings_spec
from .families import (
    DECODER_BOXES, DECODER_EMBEDDINGS, DECODER_IOU, DECODER_LOGITS,
    ENCODER_INPUT, ENCODER_OUTPUT, LOW_RES_SIZE, Family, family_facts,
    manifest_body,
)
from .manifest_file import write_manifest
from .onnx_export import TensorSpec, export_module
from .test_model import BrightBoxDecoder, BrightnessEncoder

logger = logging.getLogger(__name__)

#: Version written into the manifest; bump when the behaviour changes.
TEST_MODEL_VERSION = '1'


def make_test_model(out: Path) -> Path:
    """Write encoder, decoder and manifest of the test model to ``out``.

    Raises
    ------
    ExportError
        If a written graph lacks an expected input or output.
    """
    size = family_facts(Family.TEST)['inputSize']
    export_module(
        BrightnessEncoder(size), (torch.rand(1, 3, size, size),),
        out / ENCODER_FILE,
        [TensorSpec(ENCODER_INPUT, (1, 3, size, size))],
        [embeddings_spec(ENCODER_OUTPUT)],
    )
    export_module(
        BrightBoxDecoder(size),
        (torch.rand(1, 256, 64, 64), torch.tensor([[10.0, 20, 100, 200]])),
        out / DECODER_FILE,
        [embeddings_spec(DECODER_EMBEDDINGS),
         TensorSpec(DECODER_BOXES, (1, 4))],
        [TensorSpec(DECODER_LOGITS, (1, 1, LOW_RES_SIZE, LOW_RES_SIZE)),
         TensorSpec(DECODER_IOU, (1, 1))],
    )
    body = manifest_body(Family.TEST, TEST_MODEL_VERSION)
    return write_manifest(out, body, ENCODER_FILE, DECODER_FILE)


def main(argv: Optional[List[str]] = None) -> int:
    """Parse ``--out`` and write the model; print the manifest path."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--out', type=Path, required=True)
    args = parser.parse_args(argv)
    warnings.filterwarnings('ignore', module='torch')
    sys.stdout.write(f'{make_test_model(args.out)}\n')
    return 0


if __name__ == '__main__':
    sys.exit(main())
