import type { ExtensionManager } from './hostTypes';
import type * as CornerstoneCore from '@cornerstonejs/core';
import type * as CornerstoneTools from '@cornerstonejs/tools';

export interface CornerstoneLibraries {
  cornerstone: typeof CornerstoneCore;
  cornerstoneTools: typeof CornerstoneTools;
}

const UTILITY_MODULE = '@ohif/extension-cornerstone.utilityModule.common';

/**
 * The viewer's own cornerstone objects. We must never bundle a second copy:
 * it would have its own cache, tool registry and rendering engine.
 * @throws Error when the cornerstone extension is not registered yet.
 */
export function getCornerstoneLibraries(extensionManager: ExtensionManager): CornerstoneLibraries {
  const entry = extensionManager.getModuleEntry<{ getCornerstoneLibraries: () => CornerstoneLibraries }>(
    UTILITY_MODULE,
  );
  if (!entry) {
    throw new Error(`${UTILITY_MODULE} is not registered: MedSAM needs the cornerstone extension.`);
  }
  return entry.exports.getCornerstoneLibraries();
}
