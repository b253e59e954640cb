/**
 * Loads folders of DICOM files into a PACS through STOW-RS, and nothing else of
 * the PACS (the project reaches it only through DICOMweb).
 *
 * Idempotent by SOPInstanceUID: before storing, one QIDO-RS search per series
 * lists what the PACS already holds, and those files are reported as already
 * present, not sent. Files of one load that share a SOPInstanceUID (the same
 * image in several transfer syntaxes, say) are one instance to a PACS: the first
 * is offered, the others are reported as already present with `sameAs`; if the
 * PACS refuses the first, the next one is offered instead.
 *
 * Files go in batches (fast); when a batch's answer does not account for a file,
 * that file is sent alone, so a refusal always names its culprit.
 */
import { readFile } from 'node:fs/promises';

import { type LogLine } from './serverError';
import { readInstanceUIDs, type InstanceUIDs } from './studies/dicomHeader';
import {
  searchSeriesInstanceUIDs,
  storeInstances,
  type DicomWebTarget,
} from './studies/dicomWebClient';
import { listFiles } from './studies/listFiles';

/**
 * - `not-dicom`: no DICM preamble, not a DICOM Part 10 file.
 * - `unreadable`: a DICM preamble, but the header does not parse.
 * - `missing-uids`: an identifying UID is empty or absent.
 * - `rejected-by-pacs`: the PACS refused it; `detail` quotes its reason.
 */
export type RefusalReason = 'not-dicom' | 'unreadable' | 'missing-uids' | 'rejected-by-pacs';

export interface RefusedFile {
  file: string;
  reason: RefusalReason;
  detail: string;
}

export interface StoredFile {
  file: string;
  StudyInstanceUID: string;
  SOPInstanceUID: string;
}

export interface PresentFile extends StoredFile {
  /** Another file of this load with the same SOPInstanceUID, or null. */
  sameAs: string | null;
}

export interface LoadReport {
  files: number;
  stored: StoredFile[];
  alreadyPresent: PresentFile[];
  refused: RefusedFile[];
  /** Studies that the PACS holds now thanks to, or already had before, this load. */
  StudyInstanceUIDs: string[];
}

export interface LoadStudiesOptions {
  pacs: DicomWebTarget;
  /** Files and folders (searched recursively). */
  paths: readonly string[];
  /** Files per STOW-RS request; default 20. */
  batchSize?: number;
  /** Bytes per STOW-RS request (a bigger file goes alone); default 64 MiB. */
  batchMaxBytes?: number;
  log?: LogLine;
}

const DEFAULT_BATCH_SIZE = 20;
const DEFAULT_BATCH_MAX_BYTES = 64 * 1024 * 1024;

interface Candidate {
  file: string;
  size: number;
  uids: InstanceUIDs;
}

type SendResult = { stored: true } | { stored: false; detail: string };

function seriesKey(uids: InstanceUIDs): string {
  return `${uids.StudyInstanceUID}/${uids.SeriesInstanceUID}`;
}

/** Splits candidates into STOW-RS requests by count and by bytes. */
function intoBatches(candidates: Candidate[], maxCount: number, maxBytes: number): Candidate[][] {
  const batches: Candidate[][] = [];
  let current: Candidate[] = [];
  let bytes = 0;
  for (const candidate of candidates) {
    const full = current.length >= maxCount || bytes + candidate.size > maxBytes;
    if (current.length > 0 && full) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(candidate);
    bytes += candidate.size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

class StudyLoader {
  /** Series key -> SOPInstanceUIDs the PACS holds. */
  private readonly held = new Map<string, Set<string>>();

  constructor(private readonly options: LoadStudiesOptions) {}

  async isHeld(uids: InstanceUIDs, refresh = false): Promise<boolean> {
    const key = seriesKey(uids);
    let held = this.held.get(key);
    if (held === undefined || refresh) {
      held = await searchSeriesInstanceUIDs(
        this.options.pacs,
        uids.StudyInstanceUID,
        uids.SeriesInstanceUID,
      );
      this.held.set(key, held);
    }
    return held.has(uids.SOPInstanceUID);
  }

  private markHeld(uids: InstanceUIDs): void {
    this.held.get(seriesKey(uids))?.add(uids.SOPInstanceUID);
  }

  /** Sends one batch; returns a result for each file the answer accounts for. */
  private async sendBatch(batch: Candidate[]): Promise<Map<Candidate, SendResult>> {
    const bytes = await Promise.all(batch.map((candidate) => readFile(candidate.file)));
    const answer = await storeInstances(this.options.pacs, bytes);
    const results = new Map<Candidate, SendResult>();
    for (const candidate of batch) {
      const uid = candidate.uids.SOPInstanceUID;
      const failure = answer.failed.get(uid);
      if (answer.stored.has(uid)) results.set(candidate, { stored: true });
      else if (failure !== undefined) {
        results.set(candidate, { stored: false, detail: `${failure} (HTTP ${answer.status})` });
      } else if (batch.length === 1) {
        results.set(candidate, await this.settleUnlisted(candidate, answer.status, answer.message));
      }
    }
    return results;
  }

  /** A lone file the answer did not list: believe the PACS's holdings, not its status. */
  private async settleUnlisted(
    candidate: Candidate,
    status: number,
    message: string | null,
  ): Promise<SendResult> {
    if (status < 300 && (await this.isHeld(candidate.uids, true))) return { stored: true };
    const said = message ? `: ${message}` : '';
    const detail =
      status < 300
        ? `the PACS answered HTTP ${status} but does not hold the instance${said}`
        : `the PACS answered HTTP ${status} with no failure reason for this file${said}`;
    return { stored: false, detail };
  }

  /** Stores candidates in batches; files a batch leaves unexplained go alone. */
  async send(candidates: Candidate[]): Promise<Map<Candidate, SendResult>> {
    const { batchSize = DEFAULT_BATCH_SIZE, batchMaxBytes = DEFAULT_BATCH_MAX_BYTES } =
      this.options;
    const results = new Map<Candidate, SendResult>();
    for (const batch of intoBatches(candidates, batchSize, batchMaxBytes)) {
      const answered = await this.sendBatch(batch);
      for (const candidate of batch) {
        const result =
          answered.get(candidate) ?? (await this.sendBatch([candidate])).get(candidate);
        if (result === undefined) throw new Error(`no STOW result for ${candidate.file}`);
        if (result.stored) this.markHeld(candidate.uids);
        results.set(candidate, result);
      }
      const stored = batch.filter((candidate) => results.get(candidate)?.stored).length;
      this.options.log?.(`STOW-RS: ${batch.length} files, ${stored} stored`);
    }
    return results;
  }
}

async function readCandidates(files: string[], report: LoadReport): Promise<Candidate[][]> {
  const bySOPInstanceUID = new Map<string, Candidate[]>();
  for (const file of files) {
    const bytes = await readFile(file);
    const header = readInstanceUIDs(bytes);
    if (!header.ok) {
      report.refused.push({ file, reason: header.reason, detail: header.detail });
      continue;
    }
    const group = bySOPInstanceUID.get(header.uids.SOPInstanceUID) ?? [];
    group.push({ file, size: bytes.byteLength, uids: header.uids });
    bySOPInstanceUID.set(header.uids.SOPInstanceUID, group);
  }
  return [...bySOPInstanceUID.values()];
}

/** The group member an entry of a round points at. */
function currentOf(entry: { group: Candidate[]; index: number }): Candidate {
  const candidate = entry.group[entry.index];
  if (candidate === undefined) throw new RangeError(`no file ${entry.index} in its group`);
  return candidate;
}

function entryOf(candidate: Candidate): StoredFile {
  const { StudyInstanceUID, SOPInstanceUID } = candidate.uids;
  return { file: candidate.file, StudyInstanceUID, SOPInstanceUID };
}

/**
 * Stores every DICOM file under `paths` that the PACS does not hold yet.
 * @throws {ServerError} `bad-path`, `pacs-unreachable`, `pacs-refused` (problems
 *   that concern the whole load; a file's own problem is reported, not thrown)
 */
export async function loadStudies(options: LoadStudiesOptions): Promise<LoadReport> {
  const files = await listFiles(options.paths);
  const report: LoadReport = {
    files: files.length,
    stored: [],
    alreadyPresent: [],
    refused: [],
    StudyInstanceUIDs: [],
  };
  const loader = new StudyLoader(options);
  const groups = await readCandidates(files, report);
  // Each round offers the next file of every group whose previous file was refused.
  let round = groups.map((group) => ({ group, index: 0 }));
  while (round.length > 0) {
    const toSend: Candidate[] = [];
    const settled: Array<{ group: Candidate[]; index: number }> = [];
    for (const entry of round) {
      const candidate = currentOf(entry);
      if (await loader.isHeld(candidate.uids)) {
        report.alreadyPresent.push({ ...entryOf(candidate), sameAs: null });
        settled.push(entry);
      } else toSend.push(candidate);
    }
    const results = await loader.send(toSend);
    const next: typeof round = [];
    for (const entry of round) {
      const candidate = currentOf(entry);
      const result = results.get(candidate);
      if (result === undefined) continue; // already present, settled above
      if (result.stored) {
        report.stored.push(entryOf(candidate));
        settled.push(entry);
      } else {
        const { file } = candidate;
        report.refused.push({ file, reason: 'rejected-by-pacs', detail: result.detail });
        if (entry.index + 1 < entry.group.length) next.push({ ...entry, index: entry.index + 1 });
      }
    }
    for (const entry of settled) {
      const kept = currentOf(entry);
      for (const twin of entry.group.slice(entry.index + 1)) {
        report.alreadyPresent.push({ ...entryOf(twin), sameAs: kept.file });
      }
    }
    round = next;
  }
  const byFile = (a: { file: string }, b: { file: string }): number => a.file.localeCompare(b.file);
  report.stored.sort(byFile);
  report.alreadyPresent.sort(byFile);
  report.refused.sort(byFile);
  const studies = [...report.stored, ...report.alreadyPresent].map((f) => f.StudyInstanceUID);
  report.StudyInstanceUIDs = [...new Set(studies)].sort();
  return report;
}
