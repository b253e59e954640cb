/**
 * Sends outbox entries to the PACS until it confirms, retrying transient
 * failures with exponential backoff.
 *
 * Design: the outbox (IndexedDB) is the source of truth; this class only runs
 * one send loop per entry and reports status changes to subscribers. An entry
 * is persisted before its first attempt and deleted only after a confirmed
 * store, so closing the page at any moment loses nothing: `resume()` after a
 * reload picks up what is left. Time is injected (`clock`) so tests run the
 * whole backoff schedule instantly.
 */
import type { Outbox, OutboxEntry, OutboxFailure, OutboxMeta, OutboxStatus } from './outbox';
import { PacsStoreError } from './pacsStoreError';

/** Backoff: delay n = initialDelayMs * factor^(n-1), at most maxDelayMs. */
export interface RetryPolicy {
  initialDelayMs: number;
  factor: number;
  maxDelayMs: number;
  /** Attempts before a retryable failure is reported as failed. */
  maxAttempts: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  initialDelayMs: 2_000,
  factor: 2,
  maxDelayMs: 5 * 60_000,
  maxAttempts: 10,
};

/** Time source; `sleep` resolves early (never rejects) when `signal` aborts. */
export interface UploaderClock {
  now(): number;
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

export const SYSTEM_CLOCK: UploaderClock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve();
      });
    }),
};

/** Sends one entry; throws (ideally a PacsStoreError) unless the PACS confirmed. */
export type StoreFunction = (entry: OutboxEntry) => Promise<void>;

export type StatusListener = (id: string, status: OutboxStatus) => void;

export interface SegUploaderOptions {
  outbox: Outbox;
  store: StoreFunction;
  /** Recorded on each entry, for the panel. */
  dicomWebRoot: string;
  retry?: Partial<RetryPolicy>;
  clock?: UploaderClock;
}

/** Delay before retry number `failedAttempts` (1 = after the first failure), ms. */
export function computeRetryDelay(failedAttempts: number, policy: RetryPolicy): number {
  const delay = policy.initialDelayMs * policy.factor ** Math.max(0, failedAttempts - 1);
  return Math.min(policy.maxDelayMs, delay);
}

function toFailure(error: unknown): { failure: OutboxFailure; retryable: boolean } {
  if (error instanceof PacsStoreError) {
    return { failure: { code: error.code, message: error.message }, retryable: error.retryable };
  }
  // Not a classified PACS answer (a bug or an unexpected exception): resending
  // would repeat it, so stop and show it; the bytes stay for download or retry.
  const message = error instanceof Error ? error.message : String(error);
  return { failure: { code: 'pacs-refused', message }, retryable: false };
}

export class SegUploader {
  private readonly policy: RetryPolicy;
  private readonly clock: UploaderClock;
  private readonly listeners = new Set<StatusListener>();
  private readonly loops = new Map<string, Promise<OutboxStatus>>();
  private readonly waits = new Map<string, AbortController>();
  private readonly statuses = new Map<string, OutboxStatus>();
  private disposed = false;

  constructor(private readonly options: SegUploaderOptions) {
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.clock = options.clock ?? SYSTEM_CLOCK;
  }

  /** Calls `listener` on every status change; returns the unsubscribe function. */
  subscribe(listener: StatusListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The last status this uploader saw for `id`. */
  getStatus(id: string): OutboxStatus | undefined {
    return this.statuses.get(id);
  }

  /**
   * Persists the SEG in the outbox, then starts sending it. Resolves once the
   * bytes are safe in IndexedDB; `whenSettled(id)` gives the final outcome.
   */
  async enqueue(seg: { bytes: ArrayBuffer; meta: OutboxMeta }): Promise<string> {
    const id = seg.meta.SOPInstanceUID;
    const status: OutboxStatus = { state: 'queued' };
    await this.options.outbox.put({
      id,
      bytes: seg.bytes,
      meta: seg.meta,
      dicomWebRoot: this.options.dicomWebRoot,
      createdAt: this.clock.now(),
      attempts: 0,
      status,
    });
    this.emit(id, status);
    this.start(id);
    return id;
  }

  /** Resolves with 'stored' or 'failed' (or the last status after dispose). */
  async whenSettled(id: string): Promise<OutboxStatus | undefined> {
    return this.loops.get(id) ?? this.statuses.get(id);
  }

  /** After a reload: sends every entry that is neither failed nor already running. */
  async resume(): Promise<void> {
    for (const entry of await this.options.outbox.list()) {
      this.statuses.set(entry.id, entry.status);
      if (entry.status.state !== 'failed') this.start(entry.id);
    }
  }

  /** Sends a failed entry again from attempt 1, or skips a pending backoff wait. */
  async retry(id: string): Promise<void> {
    const wait = this.waits.get(id);
    if (wait) {
      wait.abort();
      return;
    }
    const entry = await this.options.outbox.get(id);
    if (!entry || this.loops.has(id)) return;
    await this.options.outbox.setStatus(id, { state: 'queued' }, 0);
    this.start(id);
  }

  /** Removes an entry the user gave up on (after downloading it, say). */
  async discard(id: string): Promise<void> {
    this.waits.get(id)?.abort();
    await this.options.outbox.remove(id);
    this.statuses.delete(id);
  }

  /** Stops all loops at their next wait; entries stay in the outbox. */
  dispose(): void {
    this.disposed = true;
    for (const wait of this.waits.values()) wait.abort();
    this.listeners.clear();
  }

  private start(id: string): void {
    if (this.loops.has(id) || this.disposed) return;
    const loop = this.run(id).finally(() => this.loops.delete(id));
    this.loops.set(id, loop);
  }

  private emit(id: string, status: OutboxStatus): void {
    this.statuses.set(id, status);
    for (const listener of [...this.listeners]) listener(id, status);
  }

  private async report(id: string, status: OutboxStatus, attempts: number): Promise<OutboxStatus> {
    await this.options.outbox.setStatus(id, status, attempts);
    this.emit(id, status);
    return status;
  }

  private async run(id: string): Promise<OutboxStatus> {
    const { outbox, store } = this.options;
    const entry = await outbox.get(id);
    if (!entry) return this.statuses.get(id) ?? { state: 'queued' };
    let attempts = entry.status.state === 'failed' ? 0 : entry.attempts;
    for (;;) {
      attempts++;
      await this.report(id, { state: 'sending', attempt: attempts }, attempts);
      try {
        await store(entry);
      } catch (error) {
        const { failure, retryable } = toFailure(error);
        if (!retryable || attempts >= this.policy.maxAttempts) {
          return this.report(id, { state: 'failed', error: failure }, attempts);
        }
        const delay = computeRetryDelay(attempts, this.policy);
        const retryAt = this.clock.now() + delay;
        await this.report(
          id,
          { state: 'retrying', attempt: attempts, retryAt, error: failure },
          attempts,
        );
        const wait = new AbortController();
        this.waits.set(id, wait);
        await this.clock.sleep(delay, wait.signal);
        this.waits.delete(id);
        if (this.disposed) return this.statuses.get(id)!;
        if (!(await outbox.get(id))) return { state: 'failed', error: failure }; // discarded
        continue;
      }
      // Confirmed by the PACS: only now may the bytes leave the outbox.
      await outbox.remove(id);
      const stored: OutboxStatus = { state: 'stored', storedAt: this.clock.now() };
      this.emit(id, stored);
      return stored;
    }
  }
}
