import type { ToolbarButton } from './host/hostTypes';

/**
 * What the extension offers the mode. The mode is a separate bundle: it reaches
 * our state and translations through this module, never by importing them
 * (which would create a second copy).
 */
export interface MedSAMUtilities {
  createToolbarButtons(): ToolbarButton[];
}
