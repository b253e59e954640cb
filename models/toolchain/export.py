"""Export an official MedSAM or LiteMedSAM checkpoint to the viewer's files.

Usage (from the repository root)::

    /usr/bin/python3 -m models.toolchain.export \\
        --checkpoint medsam_vit_b.pth --family medsam-vit-b \\
        --out models/medsam-vit-b [--fp16]

writes ``encoder.onnx``, ``decoder.onnx`` and ``manifest.json`` (sizes and
SHA-256 of both files) into ``--out``. ``--random-init SEED`` replaces the
checkpoint by seeded random weights, for tests of the toolchain itself.
"""
import argparse
import hashlib
import logging
import sys
import tempfile
import warnings
from pathlib import Path
from typing import List, Optional, Tuple

import torch

from .checkpoint import CheckpointError, load_into, read_checkpoint
from .families import (
    DECODER_BOXES, DECODER_EMBEDDINGS, DECODER_IOU, DECODER_LOGITS,
    ENCODER_INPUT, ENCODER_OUTPUT, LOW_RES_SIZE, Family, manifest_body,
)
from .manifest_file import write_manifest
from .onnx_export import (
    ExportError, TensorSpec, export_module, store_weights_as_fp16,
)
from .sam_model import EMBED_GRID, BoxDecoder, SegmentModel, build_model

logger = logging.getLogger(__name__)

#: Channels of the image embeddings.
EMBED_CHANNELS = 256
#: Exit status for a refused checkpoint or a failed export.
EXIT_REFUSED = 2
#: File names inside the output folder.
ENCODER_FILE = 'encoder.onnx'
DECODER_FILE = 'decoder.onnx'
#: Families with a full architecture to export.
EXPORTABLE = (Family.MEDSAM_VIT_B, Family.LITE_MEDSAM)


class EncoderGraph(torch.nn.Module):
    """The image encoder alone, as the encoder graph."""

    def __init__(self, model: SegmentModel) -> None:
        super().__init__()
        self.image_encoder = model.image_encoder

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        """[1,3,S,S] -> [1,256,64,64]."""
        return self.image_encoder(image)


def embeddings_spec(name: str) -> TensorSpec:
    """The image embeddings tensor [1, 256, 64, 64]."""
    return TensorSpec(name, (1, EMBED_CHANNELS, EMBED_GRID, EMBED_GRID))


def export_graphs(model: SegmentModel, out: Path) -> None:
    """Write the encoder and box-only decoder graphs of ``model``.

    Raises
    ------
    ExportError
        If a written graph lacks an expected input or output.
    """
    size = model.input_size
    image = torch.rand(1, 3, size, size)
    export_module(
        EncoderGraph(model), (image,), out / ENCODER_FILE,
        [TensorSpec(ENCODER_INPUT, (1, 3, size, size))],
        [embeddings_spec(ENCODER_OUTPUT)],
    )
    embeddings = torch.randn(1, EMBED_CHANNELS, EMBED_GRID, EMBED_GRID)
    box = torch.tensor([[0.25, 0.25, 0.75, 0.75]]) * size
    export_module(
        BoxDecoder(model), (embeddings, box), out / DECODER_FILE,
        [embeddings_spec(DECODER_EMBEDDINGS),
         TensorSpec(DECODER_BOXES, (1, 4))],
        [TensorSpec(DECODER_LOGITS, (1, 1, LOW_RES_SIZE, LOW_RES_SIZE)),
         TensorSpec(DECODER_IOU, (1, 1))],
    )


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open('rb') as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b''):
            digest.update(chunk)
    return digest.hexdigest()


def prepare_model(
    family: Family, checkpoint: Optional[Path], seed: Optional[int]
) -> Tuple[SegmentModel, str]:
    """The loaded model and a version string naming its weights.

    Raises
    ------
    CheckpointError
        If the checkpoint does not fit the family.
    """
    if checkpoint is None:
        torch.manual_seed(seed or 0)
        return build_model(family), f'random-init seed {seed}'
    model = build_model(family)
    state = read_checkpoint(checkpoint)
    load_into(model, state, str(checkpoint), family.value)
    model.eval()
    return model, f'{checkpoint.name} sha256:{_digest(checkpoint)[:16]}'


def run_export(
    family: Family,
    out: Path,
    checkpoint: Optional[Path] = None,
    seed: Optional[int] = None,
    fp16: bool = False,
) -> Path:
    """Export ``family`` weights to ``out``; return the manifest path.

    Raises
    ------
    CheckpointError
        If the checkpoint does not fit the family.
    ExportError
        If a written graph lacks an expected input or output.
    """
    model, version = prepare_model(family, checkpoint, seed)
    body = manifest_body(family, version)
    out.mkdir(parents=True, exist_ok=True)
    if not fp16:
        export_graphs(model, out)
    else:
        with tempfile.TemporaryDirectory() as scratch:
            export_graphs(model, Path(scratch))
            for name in (ENCODER_FILE, DECODER_FILE):
                store_weights_as_fp16(Path(scratch) / name, out / name)
        body['id'] += '-fp16'
        body['displayName'] += ' (fp16 weights)'
        body['version'] += ' fp16-weights'
    return write_manifest(out, body, ENCODER_FILE, DECODER_FILE)


def parse_args(argv: Optional[List[str]]) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(
        prog='npm run export-model --',
        description='Export a MedSAM-family checkpoint to ONNX + manifest.',
    )
    parser.add_argument(
        '--family', required=True,
        choices=[f.value for f in EXPORTABLE],
    )
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument('--checkpoint', type=Path,
                        help='official state dict (.pth)')
    source.add_argument('--random-init', type=int, metavar='SEED',
                        help='seeded random weights (toolchain tests)')
    parser.add_argument('--out', type=Path, required=True,
                        help='model folder to write')
    parser.add_argument('--fp16', action='store_true',
                        help='store weights as float16 (half the size)')
    parser.add_argument('--verbose', action='store_true')
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> int:
    """Run the export; print the manifest path. Returns the exit status."""
    args = parse_args(argv)
    # the tracer's notes on constant folding are not the user's business
    warnings.filterwarnings('ignore', module='torch')
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format='%(levelname)s %(name)s: %(message)s',
    )
    try:
        manifest = run_export(
            Family(args.family), args.out, args.checkpoint,
            args.random_init, args.fp16,
        )
    except (CheckpointError, ExportError) as error:
        sys.stderr.write(f'export refused: {error}\n')
        return EXIT_REFUSED
    sys.stdout.write(f'{manifest}\n')
    return 0


if __name__ == '__main__':
    sys.exit(main())
