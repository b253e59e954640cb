"""The training data list: every case, structure and source file, with
SHA-256, so that a run can be checked against the data it was made from.

Usage::

    /usr/bin/python3 -m models.finetune.data_list DATA_DIR OUT.tsv
"""
import hashlib
import json
import sys
from pathlib import Path
from typing import List

from .samples import EVALUATION_CACHE


def sha256_of(path: Path) -> str:
    """Hex SHA-256 of a file."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_data_list(data_dir: Path, out: Path, labelled_slices: dict) -> int:
    """Write the TSV; return the number of source files listed."""
    index = json.loads((EVALUATION_CACHE / 'cases' / 'index.json').read_text())
    lines = ['# patient\tcase\tmodality\tstructure\tlabelled slices used\t'
             'role\tfile (relative to the data folder)\tsha256']
    count = 0
    for case in index['cases']:
        for structure in case['structures']:
            used = labelled_slices.get((case['id'], structure['name']), 0)
            if not used:
                continue
            files = ([('image', f) for f in case['imageFiles']]
                     + [('truth', f) for f in case['groundTruthFiles']])
            for role, name in files:
                lines.append('\t'.join([
                    case['patient'], case['id'], case['modality'],
                    structure['name'], str(used), role, name,
                    sha256_of(data_dir / name)]))
                count += 1
    out.write_text('\n'.join(lines) + '\n')
    return count


def main(argv: List[str]) -> int:
    """Command line entry."""
    from .samples import load_samples
    counts: dict = {}
    for s in load_samples():
        counts[(s.case, s.structure)] = counts.get((s.case, s.structure), 0) + 1
    print(write_data_list(Path(argv[0]), Path(argv[1]), counts), 'files')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
