"""Command line of the reference pipeline (see models/README.md).

Usage (from the repository root)::

    /usr/bin/python3 -m models.reference intensity --manifest M \\
        --modality CT --volume volume.npy --out grey.npy
    /usr/bin/python3 -m models.reference preprocess --manifest M \\
        --image slice.npy --box X0,Y0,X1,Y1 --out-dir DIR
    /usr/bin/python3 -m models.reference postprocess --manifest M \\
        --logits low_res.npy --meta DIR/meta.json --out-dir DIR
"""
import argparse
import json
import logging
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional

import numpy as np

from .intensity import apply_preset, preset_for
from .pipeline import (
    SliceGeometry, map_box, postprocess_logits, preprocess_image,
)

logger = logging.getLogger(__name__)

#: Exit status for unusable input.
EXIT_BAD_INPUT = 2
#: Output file names.
INPUT_FILE = 'input.npy'
BOX_FILE = 'box.npy'
META_FILE = 'meta.json'
PROBABILITIES_FILE = 'probabilities.npy'
MASK_FILE = 'mask.npy'
LOGITS_FILE = 'logits.npy'


def _read_manifest(path: Path) -> Dict[str, Any]:
    return json.loads(path.read_text())


def _parse_box(text: str) -> List[float]:
    values = [float(v) for v in text.split(',')]
    if len(values) != 4:
        raise ValueError(f'--box needs four numbers, got {text!r}')
    return values


def run_intensity(args: argparse.Namespace) -> List[Path]:
    """Volume of modality values -> uint8 grey volume."""
    manifest = _read_manifest(args.manifest)
    grey = apply_preset(np.load(args.volume), preset_for(manifest,
                                                         args.modality))
    np.save(args.out, grey)
    return [args.out]


def run_preprocess(args: argparse.Namespace) -> List[Path]:
    """uint8 slice + pixel box -> input.npy, box.npy, meta.json."""
    manifest = _read_manifest(args.manifest)
    tensor, geometry = preprocess_image(np.load(args.image), manifest)
    box = map_box(_parse_box(args.box), geometry, manifest)
    out: Path = args.out_dir
    out.mkdir(parents=True, exist_ok=True)
    np.save(out / INPUT_FILE, tensor)
    np.save(out / BOX_FILE, box)
    meta = dict(geometry.to_json(), modelBox=box[0].tolist())
    (out / META_FILE).write_text(json.dumps(meta, indent=2) + '\n')
    return [out / INPUT_FILE, out / BOX_FILE, out / META_FILE]


def run_postprocess(args: argparse.Namespace) -> List[Path]:
    """Low-res logits + meta.json -> probabilities, mask (and logits)."""
    manifest = _read_manifest(args.manifest)
    meta = json.loads(args.meta.read_text())
    meta.pop('modelBox', None)
    geometry = SliceGeometry(**meta)
    probs, mask, logits = postprocess_logits(
        np.load(args.logits), geometry, manifest
    )
    out: Path = args.out_dir
    out.mkdir(parents=True, exist_ok=True)
    written = [out / PROBABILITIES_FILE, out / MASK_FILE]
    np.save(written[0], probs)
    np.save(written[1], mask)
    if logits is not None:
        np.save(out / LOGITS_FILE, logits)
        written.append(out / LOGITS_FILE)
    return written


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog='python3 -m models.reference',
        description='Reference MedSAM / LiteMedSAM pre- and post-processing.',
    )
    parser.add_argument('--verbose', action='store_true')
    commands = parser.add_subparsers(dest='command', required=True)
    intensity = commands.add_parser('intensity')
    intensity.add_argument('--volume', type=Path, required=True)
    intensity.add_argument('--modality', required=True)
    intensity.add_argument('--out', type=Path, required=True)
    pre = commands.add_parser('preprocess')
    pre.add_argument('--image', type=Path, required=True)
    pre.add_argument('--box', required=True, help='X0,Y0,X1,Y1 pixels')
    pre.add_argument('--out-dir', type=Path, required=True)
    post = commands.add_parser('postprocess')
    post.add_argument('--logits', type=Path, required=True)
    post.add_argument('--meta', type=Path, required=True)
    post.add_argument('--out-dir', type=Path, required=True)
    for sub in (intensity, pre, post):
        sub.add_argument('--manifest', type=Path, required=True)
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    """Run one command; print the files written, one per line."""
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format='%(levelname)s %(name)s: %(message)s',
    )
    run = {'intensity': run_intensity, 'preprocess': run_preprocess,
           'postprocess': run_postprocess}[args.command]
    try:
        written = run(args)
    except (OSError, ValueError, TypeError, KeyError) as error:
        sys.stderr.write(f'{args.command} failed: {error}\n')
        return EXIT_BAD_INPUT
    sys.stdout.write(''.join(f'{path}\n' for path in written))
    return 0


if __name__ == '__main__':
    sys.exit(main())
