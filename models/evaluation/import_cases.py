"""Import every labelled case of a data folder into the evaluation layout.

Usage (from the repository root)::

    /usr/bin/python3 -m models.evaluation.import_cases DATA OUT \\
        [--exclude PREFIX ...] [--patients FILE]

writes ``OUT/index.json`` and, per case, ``image.f32`` (float32, slices x
rows x columns, modality units) and one ``<n>.bits`` per structure
(``numpy.packbits`` of its 0/1 voxels, same order). Nothing is rewritten
when ``index.json`` already records the same files (paths, sizes, times).
"""
import argparse
import hashlib
import json
import logging
import re
import sys
from pathlib import Path
from typing import Dict, List

import numpy as np

from .importer.discover import Discoverer
from .importer.series import LabelledSeries

logger = logging.getLogger(__name__)

#: Bump when the layout or the rules change, so old imports are redone.
IMPORT_VERSION = 2
#: Folders of the shared data that are not clinical ground truth: broken
#: files on purpose, toy SEGs for reader tests (16x16 and 23/24x38 images),
#: the same liver SEG in other encodings, and colour-named test shapes
#: drawn on the liver CT.
DEFAULT_EXCLUDE = [
    'awkward/', 'seg-reference/highdicom/', 'seg-reference/pydicom-data/',
    'seg-reference/dcmqi/partial_overlaps', 'seg-reference/dcmqi/23x38x3/',
    'seg-reference/dcmqi/24x38x3/', 'seg-reference/dcmqi/sparse',
]
#: Default patients table, beside this file.
DEFAULT_PATIENTS = Path(__file__).with_name('patients.tsv')


def read_patients(path: Path) -> Dict[str, str]:
    """Path prefix -> patient id, from a two-column TSV (``#`` comments)."""
    table: Dict[str, str] = {}
    if not path.exists():
        return table
    for line in path.read_text().splitlines():
        if line.strip() and not line.startswith('#'):
            prefix, patient = line.split('\t')[:2]
            table[prefix.strip()] = patient.strip()
    return table


def fingerprint(files: List[Path], root: Path, settings: dict) -> str:
    """Hash of the file list (path, size, mtime) and the import settings."""
    digest = hashlib.sha256(json.dumps(settings, sort_keys=True).encode())
    for path in files:
        stat = path.stat()
        digest.update(f'{path.relative_to(root)}|{stat.st_size}|'
                      f'{stat.st_mtime_ns}\n'.encode())
    return digest.hexdigest()


def case_folder(labelled: LabelledSeries) -> str:
    """A readable, unique folder name for one case."""
    series = labelled.series
    readable = re.sub(r'[^A-Za-z0-9]+', '-', series.dataset).strip('-')
    short = hashlib.sha256(series.key.encode()).hexdigest()[:8]
    return f'{readable}-{short}'


def write_case(labelled: LabelledSeries, out: Path) -> dict:
    """Write one case's files; return its index entry."""
    series = labelled.series
    folder = case_folder(labelled)
    (out / folder).mkdir(parents=True, exist_ok=True)
    series.pixels.astype('<f4').tofile(out / folder / 'image.f32')
    structures = []
    for n, (name, mask) in enumerate(sorted(labelled.structures.items())):
        np.packbits(mask.astype(np.uint8).ravel()).tofile(
            out / folder / f'{n}.bits')
        slices = np.nonzero(mask.any(axis=(1, 2)))[0]
        structures.append({
            'name': name, 'mask': f'{folder}/{n}.bits',
            'voxels': int(mask.sum()),
            'firstSlice': int(slices[0]), 'lastSlice': int(slices[-1]),
        })
    count, rows, columns = series.shape
    return {
        'id': series.dataset, 'folder': folder,
        'dataset': series.dataset, 'seriesKey': series.key,
        'source': series.source, 'groundTruth': labelled.ground_truth,
        'modality': series.modality, 'patient': series.patient,
        'width': columns, 'height': rows, 'sliceCount': count,
        'spacing': [series.spacing[0], series.spacing[1],
                    series.slice_spacing()],
        'image': f'{folder}/image.f32', 'sliceKeys': series.slice_keys,
        'imageFiles': series.files, 'groundTruthFiles': labelled.truth_files,
        'structures': structures,
    }


def import_cases(root: Path, out: Path, exclude: List[str],
                 patients_file: Path) -> dict:
    """Discover and write every case unless the index is current."""
    patients = read_patients(patients_file)
    discoverer = Discoverer(root, exclude, patients)
    settings = {'version': IMPORT_VERSION, 'exclude': exclude,
                'patients': patients}
    print_ = fingerprint(discoverer.files, root, settings)
    index_path = out / 'index.json'
    if index_path.exists():
        index = json.loads(index_path.read_text())
        if index.get('fingerprint') == print_:
            return index
    found = discoverer.run()
    out.mkdir(parents=True, exist_ok=True)
    cases = [write_case(c, out) for c in found.cases]
    ids = [c['id'] for c in cases]
    for case in cases:
        if ids.count(case['id']) > 1:
            case['id'] = f"{case['id']} ({case['seriesKey'][-8:]})"
    index = {'version': IMPORT_VERSION, 'fingerprint': print_,
             'dataRoot': str(root), 'exclude': exclude,
             'cases': cases, 'skipped': found.skipped}
    index_path.write_text(json.dumps(index, indent=1) + '\n')
    logger.info('imported %d cases into %s', len(cases), out)
    return index


def main(argv: List[str]) -> int:
    """Command line entry; prints the index path."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('data', type=Path)
    parser.add_argument('out', type=Path)
    parser.add_argument('--exclude', nargs='*', default=DEFAULT_EXCLUDE)
    parser.add_argument('--patients', type=Path, default=DEFAULT_PATIENTS)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format='%(message)s')
    index = import_cases(args.data.resolve(), args.out, args.exclude,
                         args.patients)
    print(json.dumps({'index': str(args.out / 'index.json'),
                      'cases': len(index['cases'])}))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
