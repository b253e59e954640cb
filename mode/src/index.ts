/**
 * The MedSAM mode: OHIF's segmentation mode, plus our panel first on the right
 * and our tumour-burden panel second, our box tool in the default tool group
 * and our toolbar section.
 *
 * Derived at run time from the built-in mode's instance (loadModules), so the
 * viewer's own segmentation tools, hanging protocols and SOP class handlers come
 * with it unchanged. Our extension is registered globally through
 * `window.config.extensions` and deliberately left out of `extensions` below:
 * every key there becomes a browser import (../shared/docs/ohif-host.md).
 */
import {
  BOX_TOOL_NAME,
  BURDEN_PANEL_ID,
  MODE_ID,
  UTILITY_MODULE_ID,
  PANEL_ID,
  ROUTE_NAME,
  TOOLBAR_GROUP_BUTTON,
  TOOLBAR_SECTION,
} from '../../extension/src/ohif/ids';

const BASE_MODE = '@ohif/mode-segmentation';
const PRIMARY_SECTION = 'primary';
/** Our group goes right after the viewer's navigation tools. */
const PRIMARY_INSERT_AFTER = 'Zoom';

import type { ExtensionManager, ServicesManager } from '../../extension/src/ohif/host/hostTypes';
import type { MedSAMUtilities } from '../../extension/src/ohif/utilityModule';

interface ModeContext {
  servicesManager: ServicesManager;
  extensionManager: ExtensionManager;
  commandsManager: unknown;
}

interface ModeInstance {
  id: string;
  routeName: string;
  displayName: string;
  routes: Array<{ path: string; layoutInstance: { id: string; props: { rightPanels: string[] } } }>;
  onModeEnter: (this: ModeInstance, ctx: ModeContext) => void;
  onModeExit: (this: ModeInstance, ctx: ModeContext) => void;
  hotkeys?: unknown[];
  [key: string]: unknown;
}

interface BaseModeModule {
  modeFactory: (this: BaseModeModule, args: { modeConfiguration: unknown; loadModules: unknown }) => ModeInstance;
  modeInstance: ModeInstance;
}

function insertAfter(list: string[], anchor: string, id: string): string[] {
  const without = list.filter((item) => item !== id);
  const at = without.indexOf(anchor);
  return at < 0 ? [...without, id] : [...without.slice(0, at + 1), id, ...without.slice(at + 1)];
}

/**
 * The viewer recomputes every segment's statistics a second after each labelmap
 * change and, when done (seconds on a large series), writes back the segment list
 * it read before it started. A lesion added meanwhile (New lesion right after an
 * accept, an undo or a redo) vanished and the next outline went into the previous
 * lesion. The figures a radiologist reads come from our tumour-burden panel, so
 * the viewer's own computation is switched off in this mode.
 */
export const MODE_CUSTOMIZATIONS = {
  'panelSegmentation.disableUpdateSegmentationStats': { $set: true },
} as const;

function addOurTools(ctx: ModeContext): void {
  ctx.servicesManager.services.customizationService.setCustomizations(MODE_CUSTOMIZATIONS);
  const { toolbarService, toolGroupService } = ctx.servicesManager.services;
  const utilities = ctx.extensionManager.getModuleEntry<MedSAMUtilities>(UTILITY_MODULE_ID);
  if (!utilities) throw new Error(`${UTILITY_MODULE_ID} is missing: is the MedSAM extension listed in window.config.extensions?`);
  toolbarService.register(utilities.exports.createToolbarButtons());
  toolbarService.updateSection(TOOLBAR_SECTION, utilities.exports.sectionButtons);
  const primary = toolbarService.state?.buttonSections?.[PRIMARY_SECTION] ?? [];
  toolbarService.updateSection(PRIMARY_SECTION, insertAfter(primary, PRIMARY_INSERT_AFTER, TOOLBAR_GROUP_BUTTON));
  for (const toolGroupId of toolGroupService.getToolGroupIds()) {
    const group = toolGroupService.getToolGroup(toolGroupId);
    if (group && !group.hasTool(BOX_TOOL_NAME)) {
      group.addTool(BOX_TOOL_NAME);
      group.setToolPassive(BOX_TOOL_NAME);
    }
  }
  utilities.exports.onModeEnter();
}

function removeOurTools(ctx: ModeContext): void {
  ctx.extensionManager.getModuleEntry<MedSAMUtilities>(UTILITY_MODULE_ID)?.exports.onModeExit();
}

function deriveMode(base: ModeInstance): ModeInstance {
  return {
    ...base,
    id: MODE_ID,
    routeName: ROUTE_NAME,
    displayName: 'MedSAM',
    routes: base.routes.map((route) => ({
      ...route,
      layoutInstance: {
        ...route.layoutInstance,
        props: {
          ...route.layoutInstance.props,
          rightPanels: [
            PANEL_ID,
            BURDEN_PANEL_ID,
            ...route.layoutInstance.props.rightPanels.filter((p) => p !== PANEL_ID && p !== BURDEN_PANEL_ID),
          ],
          rightPanelClosed: false,
        },
      },
    })),
    onModeEnter(ctx: ModeContext) {
      base.onModeEnter.call(this, ctx);
      addOurTools(ctx);
    },
    onModeExit(ctx: ModeContext) {
      removeOurTools(ctx);
      base.onModeExit.call(this, ctx);
    },
  };
}

const mode = {
  id: MODE_ID,
  async modeFactory({
    modeConfiguration,
    loadModules,
  }: {
    modeConfiguration: unknown;
    loadModules: (ids: string[]) => Promise<BaseModeModule[]>;
  }): Promise<ModeInstance> {
    const [segmentation] = await loadModules([BASE_MODE]);
    if (!segmentation) throw new Error(`${BASE_MODE} is not available in this viewer.`);
    const base = await segmentation.modeFactory.call(segmentation, { modeConfiguration, loadModules });
    return deriveMode(base);
  },
};

export default mode;
