/**
 * MedSAM's keys, listed in the panel. Handled in the capture phase while our
 * mode is open, so Enter and Escape reach us before the viewer's own bindings
 * when a MedSAM preview or job is pending; otherwise they pass through.
 */
export interface ShortcutActions {
  activateBoxTool(): void;
  accept(): boolean;
  discard(): boolean;
  propagate(): void;
  newSegment(): void;
}

/** Key (KeyboardEvent.key), shift state, action, i18n key of its description. */
export const SHORTCUTS = [
  { key: 'm', shift: false, label: 'M', action: 'activateBoxTool', description: 'hotkeys.boxTool' },
  { key: 'Enter', shift: false, label: '⏎ Enter', action: 'accept', description: 'hotkeys.accept' },
  { key: 'Escape', shift: false, label: 'Esc', action: 'discard', description: 'hotkeys.discard' },
  { key: 'p', shift: false, label: 'P', action: 'propagate', description: 'hotkeys.propagate' },
  { key: 'N', shift: true, label: '⇧ N', action: 'newSegment', description: 'hotkeys.newSegment' },
] as const;

function isTyping(target: EventTarget | null): boolean {
  const element = target as HTMLElement | null;
  return !!element && (element.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(element.tagName));
}

/** Installs the listener; returns its removal. */
export function installShortcuts(target: Document, actions: ShortcutActions): () => void {
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
    const shortcut = SHORTCUTS.find(
      (s) => s.key.toLowerCase() === event.key.toLowerCase() && s.shift === event.shiftKey,
    );
    if (!shortcut) return;
    const handled = actions[shortcut.action]();
    // accept/discard return false when there was nothing of ours to act on.
    if (handled === false) return;
    event.preventDefault();
    event.stopPropagation();
  };
  const options = { capture: true };
  target.addEventListener('keydown', onKeyDown, options);
  return () => target.removeEventListener('keydown', onKeyDown, options);
}
