"""Reading official checkpoints and proving they fit our modules.

A checkpoint fits when its key -> shape map equals the module's state-dict
map; anything else is refused with every missing, unexpected and mis-shaped
key listed, so that a user who picked the wrong file sees why at once.
"""
import logging
from pathlib import Path
from typing import Dict, List, Mapping, Tuple

import torch
from torch import nn

logger = logging.getLogger(__name__)

#: Keys per problem kind shown in an error before "... and N more".
MAX_LISTED = 12
#: Wrappers some training scripts put around the state dict.
WRAPPER_KEYS = ('state_dict', 'model')

ShapeMap = Dict[str, Tuple[Tuple[int, ...], str]]


class CheckpointError(ValueError):
    """The file is not a checkpoint of the requested architecture."""


def shape_map(state: Mapping[str, torch.Tensor]) -> ShapeMap:
    """Key -> (shape, dtype name) of a state dict."""
    return {
        key: (tuple(value.shape), str(value.dtype).replace('torch.', ''))
        for key, value in state.items()
    }


def read_tsv_manifest(path: Path) -> ShapeMap:
    """Parse a ``key<TAB>[d0, d1]<TAB>dtype`` checkpoint manifest.

    Raises
    ------
    ValueError
        If a line does not have three tab-separated fields.
    """
    result: ShapeMap = {}
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if not line.strip():
            continue
        fields = line.split('\t')
        if len(fields) != 3:
            raise ValueError(f'{path}:{number}: expected 3 fields')
        key, shape, dtype = fields
        dims = shape.strip('[] ')
        result[key] = (
            tuple(int(d) for d in dims.split(',')) if dims else (), dtype
        )
    return result


def _listed(title: str, items: List[str]) -> str:
    shown = items[:MAX_LISTED]
    more = len(items) - len(shown)
    text = f'  {title} ({len(items)}): ' + ', '.join(shown)
    return text + (f' ... and {more} more' if more else '')


def describe_mismatch(found: ShapeMap, expected: ShapeMap) -> List[str]:
    """Lines naming missing, unexpected and mis-shaped keys (empty if fit)."""
    missing = sorted(set(expected) - set(found))
    unexpected = sorted(set(found) - set(expected))
    shapes = [
        f'{key} is {list(found[key][0])}, expected {list(expected[key][0])}'
        for key in sorted(set(found) & set(expected))
        if found[key][0] != expected[key][0]
    ]
    lines = []
    if missing:
        lines.append(_listed('missing keys', missing))
    if unexpected:
        lines.append(_listed('unexpected keys', unexpected))
    if shapes:
        lines.append(_listed('shape mismatches', shapes))
    return lines


def _unwrap(loaded: object, path: Path) -> Dict[str, torch.Tensor]:
    """The tensor dict inside what torch.load returned."""
    if isinstance(loaded, dict):
        for key in WRAPPER_KEYS:
            inner = loaded.get(key)
            if isinstance(inner, dict):
                logger.info('using the %r entry of %s', key, path)
                loaded = inner
                break
    if not isinstance(loaded, dict) or not loaded or not all(
        isinstance(k, str) and isinstance(v, torch.Tensor)
        for k, v in loaded.items()
    ):
        raise CheckpointError(
            f'{path} is not a state dict (a mapping of names to tensors)'
        )
    return loaded


def read_checkpoint(path: Path) -> Dict[str, torch.Tensor]:
    """Load a state dict safely (tensors only, no arbitrary objects).

    Raises
    ------
    CheckpointError
        If the file cannot be read as a PyTorch state dict.
    """
    if not path.is_file():
        raise CheckpointError(f'{path} does not exist or is not a file')
    try:
        loaded = torch.load(path, map_location='cpu', weights_only=True)
    except Exception as error:  # torch raises many types for foreign files
        raise CheckpointError(
            f'{path} is not a PyTorch checkpoint: {error}'
        ) from error
    return _unwrap(loaded, path)


def load_into(module: nn.Module, state: Dict[str, torch.Tensor],
              source: str, family_name: str) -> None:
    """Load ``state`` strictly into ``module`` after checking every key.

    Raises
    ------
    CheckpointError
        If keys or shapes differ; the message lists each problem.
    """
    problems = describe_mismatch(
        shape_map(state), shape_map(module.state_dict())
    )
    if problems:
        raise CheckpointError(
            f'{source} is not a {family_name} checkpoint:\n'
            + '\n'.join(problems)
        )
    module.load_state_dict(state, strict=True)
    logger.info('loaded %d tensors from %s', len(state), source)
