/**
 * A minimal observable value. Panel state lives here, outside React, because
 * the viewer unmounts our panel whenever it switches the right-hand tab
 * (../shared/docs/ohif-host.md): state kept in a component would be lost.
 */
export interface Store<T> {
  get(): T;
  set(next: T | ((previous: T) => T)): void;
  /** Calls `listener` on every change; returns the unsubscribe function. */
  subscribe(listener: (value: T) => void): () => void;
}

export function createStore<T>(initial: T): Store<T> {
  let value = initial;
  const listeners = new Set<(value: T) => void>();
  return {
    get: () => value,
    set(next) {
      value = typeof next === 'function' ? (next as (previous: T) => T)(value) : next;
      for (const listener of [...listeners]) listener(value);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
