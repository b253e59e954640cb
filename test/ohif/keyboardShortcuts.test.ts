import { installShortcuts, type ShortcutActions } from '../../extension/src/ohif/keyboardShortcuts';

function key(target: EventTarget, init: { key: string; shiftKey?: boolean; ctrlKey?: boolean }, on?: EventTarget): Event {
  const event = Object.assign(new Event('keydown', { cancelable: true }), {
    shiftKey: false,
    ctrlKey: false,
    metaKey: false,
    altKey: false,
    ...init,
  });
  Object.defineProperty(event, 'target', { value: on ?? null });
  target.dispatchEvent(event);
  return event;
}

describe('MedSAM keyboard shortcuts', () => {
  function setUp(pending = true) {
    const calls: string[] = [];
    const actions: ShortcutActions = {
      activateBoxTool: () => void calls.push('box'),
      accept: () => (calls.push('accept'), pending),
      discard: () => (calls.push('discard'), pending),
      propagate: () => void calls.push('propagate'),
      newSegment: () => void calls.push('new'),
    };
    const doc = new EventTarget() as unknown as Document;
    const remove = installShortcuts(doc, actions);
    return { calls, doc, remove };
  }

  it('maps M, Enter, Esc, P and Shift+N to their actions', () => {
    const { calls, doc } = setUp();
    for (const k of [{ key: 'm' }, { key: 'Enter' }, { key: 'Escape' }, { key: 'p' }, { key: 'N', shiftKey: true }]) {
      key(doc, k);
    }
    expect(calls).toEqual(['box', 'accept', 'discard', 'propagate', 'new']);
  });

  it('leaves N without Shift, Ctrl combinations and typing to the viewer', () => {
    const { calls, doc } = setUp();
    key(doc, { key: 'n' });
    key(doc, { key: 'z', ctrlKey: true });
    key(doc, { key: 'p' }, { tagName: 'INPUT', isContentEditable: false } as unknown as EventTarget);
    expect(calls).toEqual([]);
  });

  it('lets Enter through to the viewer when there is no preview of ours', () => {
    const { doc } = setUp(false);
    expect(key(doc, { key: 'Enter' }).defaultPrevented).toBe(false);
    const { doc: pendingDoc } = setUp(true);
    expect(key(pendingDoc, { key: 'Enter' }).defaultPrevented).toBe(true);
  });

  it('stops listening when removed', () => {
    const { calls, doc, remove } = setUp();
    remove();
    key(doc, { key: 'm' });
    expect(calls).toEqual([]);
  });
});
