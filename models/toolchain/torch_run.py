"""Run a family's PyTorch modules on a prepared input (export parity).

Usage (from the repository root)::

    /usr/bin/python3 -m models.toolchain.torch_run --family lite-medsam \\
        (--checkpoint FILE | --random-init SEED) --input input.npy \\
        --box box.npy --out-dir DIR

writes ``image_embeddings.npy``, ``low_res_logits.npy`` and
``iou_predictions.npy``: what the exported ONNX graphs must reproduce.
"""
import argparse
import sys
from pathlib import Path
from typing import List, Optional

import numpy as np
import torch

from .checkpoint import CheckpointError
from .export import EXIT_REFUSED, EXPORTABLE, prepare_model
from .families import (
    DECODER_IOU, DECODER_LOGITS, ENCODER_OUTPUT, Family,
)
from .sam_model import BoxDecoder


def main(argv: Optional[List[str]] = None) -> int:
    """Run encoder and box decoder in torch; print the files written."""
    parser = argparse.ArgumentParser(prog='torch_run')
    parser.add_argument('--family', required=True,
                        choices=[f.value for f in EXPORTABLE])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument('--checkpoint', type=Path)
    source.add_argument('--random-init', type=int)
    parser.add_argument('--input', type=Path, required=True)
    parser.add_argument('--box', type=Path, required=True)
    parser.add_argument('--out-dir', type=Path, required=True)
    args = parser.parse_args(argv)
    try:
        model, _ = prepare_model(
            Family(args.family), args.checkpoint, args.random_init
        )
    except CheckpointError as error:
        sys.stderr.write(f'{error}\n')
        return EXIT_REFUSED
    image = torch.from_numpy(np.load(args.input))
    box = torch.from_numpy(np.load(args.box))
    with torch.no_grad():
        embeddings = model.image_encoder(image)
        logits, iou = BoxDecoder(model)(embeddings, box)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, tensor in ((ENCODER_OUTPUT, embeddings),
                         (DECODER_LOGITS, logits), (DECODER_IOU, iou)):
        path = args.out_dir / f'{name}.npy'
        np.save(path, tensor.numpy())
        written.append(f'{path}\n')
    sys.stdout.write(''.join(written))
    return 0


if __name__ == '__main__':
    sys.exit(main())
