import type { ToolbarButton } from './host/hostTypes';

/**
 * What the extension offers the mode. The mode is a separate bundle: it reaches
 * our state and translations through this module, never by importing them
 * (which would create a second copy).
 */
export interface MedSAMUtilities {
  createToolbarButtons(): ToolbarButton[];
  /** Button ids of our toolbar section, in order. */
  sectionButtons: string[];
  /** Mode entered: keyboard shortcuts on. */
  onModeEnter(): void;
  /** Mode left: shortcuts off, previews cleared, the worker released. */
  onModeExit(): void;
}
