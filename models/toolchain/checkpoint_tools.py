"""Checkpoint utilities for tests and for users checking a download.

Usage (from the repository root)::

    # key/shape/dtype map of our module, in the checkpoint-manifest format
    /usr/bin/python3 -m models.toolchain.checkpoint_tools map --family F
    # a random state dict of a manifest's shapes, optionally damaged
    /usr/bin/python3 -m models.toolchain.checkpoint_tools synthesize \\
        --tsv MANIFEST.tsv --out fake.pth [--drop K] [--rename A=B] \\
        [--reshape K=2,3]
    # load a checkpoint strictly into our module (prints the tensor count)
    /usr/bin/python3 -m models.toolchain.checkpoint_tools load --family F \\
        --checkpoint FILE
"""
import argparse
import sys
from pathlib import Path
from typing import Dict, List, Optional

import torch

from .checkpoint import (
    CheckpointError, ShapeMap, load_into, read_checkpoint, read_tsv_manifest,
    shape_map,
)
from .families import Family
from .sam_model import build_model

#: Exit status for a refused checkpoint.
EXIT_REFUSED = 2


def format_map(shapes: ShapeMap) -> str:
    """The ``key<TAB>[d0, d1]<TAB>dtype`` lines of a shape map."""
    return ''.join(
        f"{key}\t[{', '.join(str(d) for d in shape)}]\t{dtype}\n"
        for key, (shape, dtype) in shapes.items()
    )


def synthesize(shapes: ShapeMap, seed: int) -> Dict[str, torch.Tensor]:
    """Random tensors of the given shapes (positive BatchNorm variances)."""
    generator = torch.Generator().manual_seed(seed)
    state = {}
    for key, (shape, dtype) in shapes.items():
        if dtype == 'int64':
            state[key] = torch.zeros(shape, dtype=torch.int64)
        elif key.endswith('running_var'):
            state[key] = torch.rand(shape, generator=generator) + 0.5
        else:
            state[key] = torch.randn(shape, generator=generator) * 0.02
    return state


def damage(shapes: ShapeMap, drop: List[str], rename: List[str],
           reshape: List[str]) -> ShapeMap:
    """A copy of ``shapes`` with keys dropped, renamed or re-shaped.

    Raises
    ------
    KeyError
        If a named key is not in the map.
    """
    result = dict(shapes)
    for key in drop:
        del result[key]
    for pair in rename:
        old, new = pair.split('=', 1)
        result[new] = result.pop(old)
    for pair in reshape:
        key, dims = pair.split('=', 1)
        result[key] = (tuple(int(d) for d in dims.split(',')),
                       result[key][1])
    return result


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog='checkpoint_tools')
    commands = parser.add_subparsers(dest='command', required=True)
    families = [Family.MEDSAM_VIT_B.value, Family.LITE_MEDSAM.value]
    mapping = commands.add_parser('map')
    mapping.add_argument('--family', required=True, choices=families)
    synth = commands.add_parser('synthesize')
    synth.add_argument('--tsv', type=Path, required=True)
    synth.add_argument('--out', type=Path, required=True)
    synth.add_argument('--seed', type=int, default=0)
    for flag in ('--drop', '--rename', '--reshape'):
        synth.add_argument(flag, action='append', default=[])
    load = commands.add_parser('load')
    load.add_argument('--family', required=True, choices=families)
    load.add_argument('--checkpoint', type=Path, required=True)
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    """Run one command; see the module docstring."""
    args = _parser().parse_args(argv)
    if args.command == 'map':
        model = build_model(Family(args.family))
        sys.stdout.write(format_map(shape_map(model.state_dict())))
        return 0
    if args.command == 'synthesize':
        shapes = damage(read_tsv_manifest(args.tsv), args.drop, args.rename,
                        args.reshape)
        torch.save(synthesize(shapes, args.seed), args.out)
        sys.stdout.write(f'{args.out}\n')
        return 0
    model = build_model(Family(args.family))
    try:
        state = read_checkpoint(args.checkpoint)
        load_into(model, state, str(args.checkpoint), args.family)
    except CheckpointError as error:
        sys.stderr.write(f'{error}\n')
        return EXIT_REFUSED
    sys.stdout.write(f'loaded {len(state)} tensors strictly\n')
    return 0


if __name__ == '__main__':
    sys.exit(main())
