import { installUnsavedWorkGuard } from '../../../extension/src/ohif/store/unsavedWorkGuard';

/** Dispatches what a browser dispatches on leaving: returnValue writable, as in BeforeUnloadEvent. */
function leave(target: EventTarget): Event & { returnValue: unknown } {
  const event = new Event('beforeunload', { cancelable: true });
  Object.defineProperty(event, 'returnValue', { value: true, writable: true });
  target.dispatchEvent(event);
  return event as Event & { returnValue: unknown };
}

describe('installUnsavedWorkGuard', () => {
  it('asks only while there is unsaved work, and not once removed', () => {
    const target = new EventTarget();
    let unsaved = false;
    const remove = installUnsavedWorkGuard(target, () => unsaved);
    expect(leave(target).defaultPrevented).toBe(false);
    unsaved = true;
    const asked = leave(target);
    expect(asked.defaultPrevented).toBe(true);
    expect(asked.returnValue).toBe('');
    remove();
    expect(leave(target).defaultPrevented).toBe(false);
  });
});
