/**
 * The case importer against the shared data: where one structure is given in two
 * formats, the two readers must agree voxel for voxel on the series' grid
 * (RTSTRUCT contours we rasterise vs MIRP's NIfTI masks of the sarcoma study;
 * the dcmqi liver SEG we read vs dcmqi's own NRRD label map). The counts are the
 * ones the data README states (17,090 voxels on CT and MR, 555 on PET).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '../../..');
const SHARED_DATA = path.resolve(REPO_ROOT, '../shared/data');

interface Agreement {
  dice: number;
  [count: string]: number;
}

describe('case importer', () => {
  it('rasterises RTSTRUCTs and reads SEGs exactly as the voxel masks give them', () => {
    const run = spawnSync('/usr/bin/python3', [path.join(__dirname, 'importer_agreement.py'), SHARED_DATA], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      env: { ...process.env, PYTHONPATH: REPO_ROOT, PYTHONDONTWRITEBYTECODE: '1' },
    });
    expect(run.stderr).toBe('');
    const result = JSON.parse(run.stdout) as Record<string, Agreement>;
    expect(result['sarcoma-ct']).toEqual({ rtstruct: 17090, nifti: 17090, dice: 1 });
    expect(result['sarcoma-mr']).toEqual({ rtstruct: 17090, nifti: 17090, dice: 1 });
    expect(result['sarcoma-pet']).toEqual({ rtstruct: 555, nifti: 555, dice: 1 });
    expect(result['dcmqi-liver']?.dice).toBe(1);
    expect(result['dcmqi-liver']?.seg).toBeGreaterThan(100000);
  });
});
