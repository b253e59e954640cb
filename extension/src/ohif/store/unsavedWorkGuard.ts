/**
 * Asks before the page goes away while MedSAM lesions were accepted or
 * propagated but not saved. A SEG handed to Save is safe (the outbox keeps it
 * across a reload, or it was downloaded); lesions only in the viewer's memory are
 * not, and a reload or a closed tab would lose them without a word. Browsers
 * show their own question for `beforeunload` and ignore any text of ours.
 */

/** The part of `window` the guard needs (a Node EventTarget in tests). */
export interface UnloadTarget {
  addEventListener(type: 'beforeunload', listener: (event: Event) => void): void;
  removeEventListener(type: 'beforeunload', listener: (event: Event) => void): void;
}

/**
 * Installs the guard; returns the function that removes it.
 * @param hasUnsavedWork read at the moment the page is leaving
 */
export function installUnsavedWorkGuard(target: UnloadTarget, hasUnsavedWork: () => boolean): () => void {
  const onBeforeUnload = (event: Event): void => {
    if (!hasUnsavedWork()) return;
    event.preventDefault();
    // Older Chromium asks only when returnValue is set as well.
    (event as unknown as { returnValue: unknown }).returnValue = '';
  };
  target.addEventListener('beforeunload', onBeforeUnload);
  return () => target.removeEventListener('beforeunload', onBeforeUnload);
}
