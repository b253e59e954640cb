/**
 * Model files in IndexedDB (through `idb`), so that a 360 MB encoder is downloaded
 * once per browser, not once per page. Works in a worker. Jest runs it on
 * fake-indexeddb.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { ModelStore } from './modelStore';

/** Database and object store names; bump the version when the layout changes. */
export const MODEL_DB_NAME = 'medsam-models';
export const MODEL_DB_VERSION = 1;
const FILES = 'files';

interface ModelDb extends DBSchema {
  files: { key: string; value: Uint8Array };
}

export class IdbModelStore implements ModelStore {
  private db: Promise<IDBPDatabase<ModelDb>> | undefined;

  /** Opens lazily, through the scope's `indexedDB` (fake-indexeddb in jest). */
  constructor(private readonly databaseName = MODEL_DB_NAME) {}

  private open(): Promise<IDBPDatabase<ModelDb>> {
    this.db ??= openDB<ModelDb>(this.databaseName, MODEL_DB_VERSION, {
      upgrade(db) {
        db.createObjectStore(FILES);
      },
    });
    return this.db;
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    return (await this.open()).get(FILES, key);
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    await (await this.open()).put(FILES, bytes, key);
  }

  async delete(key: string): Promise<void> {
    await (await this.open()).delete(FILES, key);
  }

  async keys(): Promise<string[]> {
    return (await this.open()).getAllKeys(FILES);
  }

  /** Closes the connection (tests, or before deleting the database). */
  async close(): Promise<void> {
    if (this.db) (await this.db).close();
    this.db = undefined;
  }
}
