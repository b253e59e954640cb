/**
 * Turns a load report into the lines the CLI prints: the counts first, then
 * every refused file with its reason, then the files that share a
 * SOPInstanceUID with another file of the load.
 */
import path from 'node:path';

import type { LoadReport } from '../loadStudies';

/** Shows paths relative to `baseDir` (the current folder for the CLI). */
export function formatLoadReport(report: LoadReport, baseDir: string = process.cwd()): string[] {
  const show = (file: string): string => path.relative(baseDir, path.resolve(file)) || file;
  const lines = [
    `${report.files} files: ${report.stored.length} stored, ` +
      `${report.alreadyPresent.length} already present, ${report.refused.length} refused`,
  ];
  if (report.refused.length > 0) {
    lines.push('Refused:');
    for (const { file, reason, detail } of report.refused) {
      lines.push(`  ${show(file)}: ${reason}: ${detail}`);
    }
  }
  const twins = report.alreadyPresent.filter((entry) => entry.sameAs !== null);
  if (twins.length > 0) {
    lines.push('Same SOPInstanceUID as another file of this load (the PACS keeps one):');
    for (const { file, sameAs } of twins) lines.push(`  ${show(file)} = ${show(sameAs ?? '')}`);
  }
  if (report.StudyInstanceUIDs.length > 0) {
    lines.push(`Studies: ${report.StudyInstanceUIDs.join(' ')}`);
  }
  return lines;
}
