import { isCancelled } from '../../../extension/src/core/inference/inferenceError';
import { InferenceQueue } from '../../../extension/src/core/inference/inferenceQueue';

/** A job that records its start and finishes when `release` is called. */
function gatedJob(
  log: string[],
  name: string,
): { run: () => Promise<string>; release: () => void } {
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  return {
    run: async () => {
      log.push(`start ${name}`);
      await gate;
      log.push(`end ${name}`);
      return name;
    },
    release: () => release(),
  };
}

describe('InferenceQueue', () => {
  it('runs one job at a time, foreground before waiting background', async () => {
    const queue = new InferenceQueue();
    const log: string[] = [];
    const first = gatedJob(log, 'first');
    const running = queue.enqueue(first.run, 'background');
    const background = queue.enqueue(async () => void log.push('background'), 'background');
    const foreground = queue.enqueue(async () => void log.push('foreground'), 'foreground');
    expect(log).toEqual(['start first']); // nothing overlaps the running job
    first.release();
    await Promise.all([running.promise, background.promise, foreground.promise]);
    expect(log).toEqual(['start first', 'end first', 'foreground', 'background']);
  });

  it('drops a stale job unrun and rejects it as cancelled', async () => {
    const queue = new InferenceQueue();
    const log: string[] = [];
    const blocker = gatedJob(log, 'blocker');
    queue.enqueue(blocker.run, 'foreground');
    let stale = false;
    const dropped = queue.enqueue(
      async () => void log.push('ran'),
      'foreground',
      () => stale,
    );
    stale = true;
    blocker.release();
    const error = await dropped.promise.catch((e: unknown) => e);
    expect(isCancelled(error)).toBe(true);
    expect(log).not.toContain('ran');
  });

  it('promotes a waiting background job ahead of other background work', async () => {
    const queue = new InferenceQueue();
    const log: string[] = [];
    const blocker = gatedJob(log, 'blocker');
    queue.enqueue(blocker.run, 'foreground');
    const a = queue.enqueue(async () => void log.push('a'), 'background');
    const b = queue.enqueue(async () => void log.push('b'), 'background');
    b.promote();
    blocker.release();
    await Promise.all([a.promise, b.promise]);
    expect(log.slice(2)).toEqual(['b', 'a']);
  });

  it('clears waiting background jobs on request', async () => {
    const queue = new InferenceQueue();
    const log: string[] = [];
    const blocker = gatedJob(log, 'blocker');
    queue.enqueue(blocker.run, 'foreground');
    const waiting = queue.enqueue(async () => void log.push('prefetch'), 'background');
    expect(queue.pending).toEqual({ foreground: 0, background: 1 });
    queue.clearBackground();
    blocker.release();
    expect(isCancelled(await waiting.promise.catch((e: unknown) => e))).toBe(true);
    expect(log).not.toContain('prefetch');
  });

  it('keeps going after a job fails', async () => {
    const queue = new InferenceQueue();
    const failing = queue.enqueue(async () => Promise.reject(new Error('boom')), 'foreground');
    const next = queue.enqueue(async () => 'next', 'foreground');
    await expect(failing.promise).rejects.toThrow('boom');
    await expect(next.promise).resolves.toBe('next');
  });
});
