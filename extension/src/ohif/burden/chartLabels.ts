/**
 * Bar labels of the lesion-volume chart. Each segmentation numbers its own
 * lesions, so a lesion outlined on the CT and one on the PET are both
 * "Lesion 1": two bars with one name cannot be told apart, and a radiologist
 * would not see that the same tumour is counted twice. A name shared by
 * several bars gets the series' modality, and a number if that is shared too.
 */

export interface ChartLesion {
  label: string;
  Modality: string;
}

/** One label per lesion, in order, each different from the others. */
export function createChartLabels(lesions: readonly ChartLesion[]): string[] {
  const count = (labels: readonly string[]) => {
    const n = new Map<string, number>();
    for (const label of labels) n.set(label, (n.get(label) ?? 0) + 1);
    return n;
  };
  const names = lesions.map((l) => l.label);
  const byName = count(names);
  const withModality = lesions.map((l, i) =>
    (byName.get(names[i] as string) ?? 0) > 1 ? `${l.label} · ${l.Modality}` : l.label,
  );
  const byModality = count(withModality);
  const seen = new Map<string, number>();
  return withModality.map((label) => {
    if ((byModality.get(label) ?? 0) <= 1) return label;
    const k = (seen.get(label) ?? 0) + 1;
    seen.set(label, k);
    return `${label} (${k})`;
  });
}
