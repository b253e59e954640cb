"""Cross-checks of the case importer on the shared data, for the jest test.

Prints one JSON object: per pair of ground-truth files that describe the same
structure in two formats, the voxel counts and their Dice after each reader
put them on the series' grid:

- ct-sarcoma: the RTSTRUCT contours (rasterised by us) and MIRP's NIfTI mask;
- dcmqi ct-3slice: the liver SEG (read by us) and dcmqi's NRRD label map.
"""
import json
import sys
from pathlib import Path

import numpy as np

from models.evaluation.importer.dicom_files import load_series, scan_dicom
from models.evaluation.importer.discover import list_files
from models.evaluation.importer.reslice import sample_onto_series
from models.evaluation.importer.rtstruct import rasterise_rtstruct
from models.evaluation.importer.seg import read_seg
from models.evaluation.importer.voxel_files import read_volume


def series_of(root: Path, folder: str):
    scan = scan_dicom(list_files(root / folder, []), root)
    (paths,) = scan.series.values()
    return load_series(paths, root)


def dice(a: np.ndarray, b: np.ndarray) -> float:
    return float(2 * (a & b).sum() / (a.sum() + b.sum()))


def main(root: Path) -> dict:
    out = {}
    for modality in ('ct', 'mr', 'pet'):
        series = series_of(root, f'ct-sarcoma/{modality}')
        contours = rasterise_rtstruct(
            root / f'ct-sarcoma/{modality}-rtstruct/RS.dcm', series,
            series.frame_of_reference)
        (mask,) = contours.values()
        voxels = sample_onto_series(
            read_volume(root / f'ct-sarcoma/{modality}-nifti/mask.nii.gz'), series) > 0
        out[f'sarcoma-{modality}'] = {
            'rtstruct': int(mask.sum()), 'nifti': int(voxels.sum()),
            'dice': dice(mask, voxels)}
    series = series_of(root, 'seg-reference/dcmqi/ct-3slice')
    seg = read_seg(root / 'seg-reference/dcmqi/liver.dcm', series)['Liver']
    nrrd = sample_onto_series(
        read_volume(root / 'seg-reference/dcmqi/liver_seg.nrrd'), series) > 0
    out['dcmqi-liver'] = {'seg': int(seg.sum()), 'nrrd': int(nrrd.sum()),
                          'dice': dice(seg, nrrd)}
    return out


if __name__ == '__main__':
    print(json.dumps(main(Path(sys.argv[1]))))
