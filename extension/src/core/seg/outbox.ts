/**
 * The outbox: SEGs waiting for the PACS, kept in IndexedDB so that a reload,
 * a crash or a closed tab loses nothing. An entry is written before the first
 * send and deleted only after the PACS confirmed the store (segUploader.ts).
 * The IndexedDB factory is injectable: the browser's by default, fake-indexeddb
 * in jest.
 */
import { wrap, type DBSchema, type IDBPDatabase } from 'idb';
import type { PacsStoreErrorCode } from './pacsStoreError';

/** A failure as the panel shows it. */
export interface OutboxFailure {
  code: PacsStoreErrorCode;
  message: string;
}

/**
 * Where an entry stands. `retryAt` is an epoch time in ms: the panel shows
 * "retrying in N s" with `computeSecondsUntilRetry`.
 */
export type OutboxStatus =
  | { state: 'queued' }
  | { state: 'sending'; attempt: number }
  | { state: 'retrying'; attempt: number; retryAt: number; error: OutboxFailure }
  | { state: 'failed'; error: OutboxFailure }
  | { state: 'stored'; storedAt: number };

/** Identifiers and labels of the SEG, for the panel and for STOW. */
export interface OutboxMeta {
  StudyInstanceUID: string;
  SeriesInstanceUID: string;
  SOPInstanceUID: string;
  SeriesDescription: string;
  numberOfFrames: number;
}

/** One waiting SEG. */
export interface OutboxEntry {
  /** The SOP Instance UID: one entry per instance, so a resend cannot duplicate. */
  id: string;
  bytes: ArrayBuffer;
  meta: OutboxMeta;
  /** DICOMweb root it is meant for (never credentials). */
  dicomWebRoot: string;
  createdAt: number;
  /** Store attempts made so far. */
  attempts: number;
  status: OutboxStatus;
}

interface OutboxSchema extends DBSchema {
  entries: { key: string; value: OutboxEntry };
}

export const DEFAULT_OUTBOX_DB = 'medsam-seg-outbox';
const DB_VERSION = 1;
const STORE = 'entries';

/** Options of `Outbox.open`. */
export interface OutboxOptions {
  /** Defaults to `globalThis.indexedDB`. */
  indexedDB?: IDBFactory;
  /** Database name, to keep test runs apart. */
  name?: string;
}

/** Persistent store of entries; holds no timers and sends nothing itself. */
export class Outbox {
  private constructor(private readonly db: IDBPDatabase<OutboxSchema>) {}

  /**
   * Opens (creating on first use) the outbox database.
   *
   * @throws TypeError when no IndexedDB is available.
   */
  static async open(options: OutboxOptions = {}): Promise<Outbox> {
    const factory = options.indexedDB ?? globalThis.indexedDB;
    if (!factory) throw new TypeError('Outbox: IndexedDB is not available');
    const request = factory.open(options.name ?? DEFAULT_OUTBOX_DB, DB_VERSION);
    request.addEventListener('upgradeneeded', () => {
      if (!request.result.objectStoreNames.contains(STORE)) {
        request.result.createObjectStore(STORE, { keyPath: 'id' });
      }
    });
    // idb's `wrap` types an opened database without its schema.
    const db = (await wrap(request)) as unknown as IDBPDatabase<OutboxSchema>;
    return new Outbox(db);
  }

  /** Adds or replaces an entry. */
  async put(entry: OutboxEntry): Promise<void> {
    await this.db.put(STORE, entry);
  }

  async get(id: string): Promise<OutboxEntry | undefined> {
    return this.db.get(STORE, id);
  }

  /** Every entry still waiting (or failed), oldest first. */
  async list(): Promise<OutboxEntry[]> {
    const entries = await this.db.getAll(STORE);
    return entries.sort((a, b) => a.createdAt - b.createdAt);
  }

  /** Records a new status (and attempt count) of an existing entry. */
  async setStatus(id: string, status: OutboxStatus, attempts?: number): Promise<void> {
    const transaction = this.db.transaction(STORE, 'readwrite');
    const entry = await transaction.store.get(id);
    if (entry)
      await transaction.store.put({ ...entry, status, attempts: attempts ?? entry.attempts });
    await transaction.done;
  }

  async remove(id: string): Promise<void> {
    await this.db.delete(STORE, id);
  }

  close(): void {
    this.db.close();
  }
}

/** Whole seconds until a retry, for "retrying in N s"; 0 when due. */
export function computeSecondsUntilRetry(status: OutboxStatus, now: number): number {
  return status.state === 'retrying' ? Math.max(0, Math.ceil((status.retryAt - now) / 1000)) : 0;
}
