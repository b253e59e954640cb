/**
 * Runs model work one job at a time, foreground before background.
 *
 * Design note: ONNX Runtime sessions are not re-entrant (a WASM or WebGPU session
 * runs one `run` at a time) and a run cannot be interrupted, so all encoder and
 * decoder runs go through one queue. A user's request (foreground) always starts
 * before prefetching (background); background work only starts when no foreground
 * job waits, which is what "encode the neighbours when idle" means here. A job
 * whose requesters have all gone stale is dropped when its turn comes, unrun.
 */
import { InferenceError } from './inferenceError';

export type JobPriority = 'foreground' | 'background';

export interface JobHandle<T> {
  promise: Promise<T>;
  /** Moves a waiting background job to the foreground (a user now needs it). */
  promote(): void;
}

interface Job {
  run: () => Promise<unknown>;
  isStale: () => boolean;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  priority: JobPriority;
}

export class InferenceQueue {
  private readonly waiting: Record<JobPriority, Job[]> = { foreground: [], background: [] };
  private busy = false;
  private idleWaiters: Array<() => void> = [];

  /**
   * Queues `run`. When its turn comes and `isStale()` is true, it is not run and
   * its promise rejects with code `cancelled`.
   */
  enqueue<T>(
    run: () => Promise<T>,
    priority: JobPriority,
    isStale: () => boolean = () => false,
  ): JobHandle<T> {
    let job!: Job;
    const promise = new Promise<T>((resolve, reject) => {
      job = { run, isStale, resolve: resolve as (value: unknown) => void, reject, priority };
    });
    this.waiting[priority].push(job);
    this.pump();
    return {
      promise,
      promote: () => {
        const index = this.waiting.background.indexOf(job);
        if (index < 0) return;
        this.waiting.background.splice(index, 1);
        job.priority = 'foreground';
        this.waiting.foreground.push(job);
      },
    };
  }

  /** Jobs not yet started, per priority (for status and tests). */
  get pending(): Record<JobPriority, number> {
    return {
      foreground: this.waiting.foreground.length,
      background: this.waiting.background.length,
    };
  }

  get isBusy(): boolean {
    return this.busy;
  }

  /** Resolves once no job runs or waits (tests, benchmarks, shutting down). */
  whenIdle(): Promise<void> {
    if (!this.busy && this.waiting.foreground.length + this.waiting.background.length === 0) {
      return Promise.resolve();
    }
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Drops every waiting background job (their promises reject as cancelled). */
  clearBackground(): void {
    for (const job of this.waiting.background.splice(0)) job.reject(cancelledError());
  }

  private pump(): void {
    if (this.busy) return;
    const job = this.waiting.foreground.shift() ?? this.waiting.background.shift();
    if (!job) {
      for (const resolve of this.idleWaiters.splice(0)) resolve();
      return;
    }
    if (job.isStale()) {
      job.reject(cancelledError());
      this.pump();
      return;
    }
    this.busy = true;
    job
      .run()
      .then(job.resolve, job.reject)
      .finally(() => {
        this.busy = false;
        this.pump();
      });
  }
}

function cancelledError(): InferenceError {
  return new InferenceError('cancelled', 'queued model work was dropped as stale');
}
