/**
 * The MedSAM extension: registered with the viewer as an ES module listed in
 * `window.config.extensions`. Everything here translates between OHIF and our
 * OHIF-free core; the maths lives in ./core.
 */
import { createElement } from 'react';
import { listIntensityChoices, MODEL_INTENSITY_CHOICE } from './core/inference/intensityChoices';
import type { Store } from './core/util/store';
import { createI18n } from './i18n/i18n';
import { probeBackend } from './ohif/backendProbe';
import { getCornerstoneLibraries } from './ohif/host/cornerstoneLibraries';
import type { CommandsManager, DisplaySet, ExtensionParams, PanelModuleEntry } from './ohif/host/hostTypes';
import { BOX_TOOL_NAME, EXTENSION_ID, PANEL_NAME, UTILITY_MODULE_NAME } from './ohif/ids';
import { InferenceSession } from './ohif/inference/inferenceSession';
import { installShortcuts } from './ohif/keyboardShortcuts';
import { MedSAMController } from './ohif/medsamController';
import { createMedSAMState, type MedSAMState } from './ohif/medsamState';
import { loadModelCatalogue, type ModelCatalogue } from './ohif/models/loadModelCatalogue';
import { createIsolatedPanel } from './ohif/panel/mountIsolatedPanel';
import { MedSAMPanel, type PanelActions } from './ohif/panel/MedSAMPanel';
import { SECTION_BUTTONS, createToolbarButtons } from './ohif/toolbarButtons';
import { createMedSAMBoxTool } from './ohif/tools/createMedSAMBoxTool';
import { createSegSaver } from './ohif/store/createSegSaver';
import type { SegSaver } from './ohif/store/segSaver';
import { installUnsavedWorkGuard, type UnloadTarget } from './ohif/store/unsavedWorkGuard';
import type { MedSAMUtilities } from './ohif/utilityModule';
import { createBurdenFeature } from './ohif/burden/burdenFeature';

/** Preferred model order: MedSAM when the site has exported it, else the shipped one. */
const DEFAULT_MODEL_ORDER = ['medsam-vit-b', 'lite-medsam', 'medsam-vit-b-transformers-js'];
const MODEL_INDEX_PATH = '/models/index.json';

const i18n = createI18n();
const state = createMedSAMState();
const burden = createBurdenFeature(i18n);
let catalogue: ModelCatalogue | null = null;
let controller: MedSAMController | null = null;
let commands: CommandsManager | null = null;
let removeShortcuts: (() => void) | null = null;
let saver: SegSaver | null = null;

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
    const indexUrl = new URL(MODEL_INDEX_PATH, globalThis.location.href).href;
    catalogue = await loadModelCatalogue(indexUrl, fetch.bind(globalThis));
    const ids = catalogue.available.map((m) => m.manifest.id);
    const preferred = DEFAULT_MODEL_ORDER.find((id) => ids.includes(id)) ?? ids[0] ?? null;
    store.set((s) => ({ ...s, models: catalogue?.listings ?? [], modelError: null, activeModelId: preferred }));
    offerCtWindows(store);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    store.set((s) => ({ ...s, models: [], modelError: { key: 'errors.modelIndexUnavailable', values: { reason } } }));
  }
}

/** The active model's CT windows; a choice it does not offer falls back to its own. */
function offerCtWindows(store: Store<MedSAMState>): void {
  const manifest = catalogue?.available.find((m) => m.manifest.id === store.get().activeModelId)?.manifest;
  const ctWindows = manifest ? listIntensityChoices(manifest, 'CT') : [];
  store.set((s) => ({
    ...s,
    ctWindows,
    ctWindow: ctWindows.some((c) => c.id === s.ctWindow) ? s.ctWindow : MODEL_INTENSITY_CHOICE,
  }));
}

const actions: PanelActions = {
  accept: () => void controller?.accept(),
  discard: () => controller?.discard(),
  propagate: () => void controller?.propagate(),
  newSegment: () => controller?.newLesion(),
  selectModel: (id) => {
    state.set((s) => ({ ...s, activeModelId: id }));
    offerCtWindows(state);
  },
  selectCtWindow: (id) => state.set((s) => ({ ...s, ctWindow: id })),
  setActiveSegment: (index) => controller?.segmentation.setActive(index),
  renameSegment: (index, label) => controller?.segmentation.rename(index, label),
  toggleSegmentVisibility: (index) => controller?.segmentation.toggleVisibility(index),
  removeSegment: (index) => controller?.segmentation.remove(index),
  jumpToSegment: (index) => void controller?.segmentation.jumpTo(index),
  dismissMessages: () => state.set((s) => ({ ...s, error: null, notice: null })),
  saveToPacs: () => void saver?.save(),
  downloadSeg: (id) => saver?.download(id),
  retrySeg: (id) => void saver?.retry(id),
};

function activateBoxTool(): void {
  commands?.runCommand('setToolActiveToolbar', { toolName: BOX_TOOL_NAME });
}

const utilities: MedSAMUtilities = {
  createToolbarButtons: () => createToolbarButtons(i18n),
  sectionButtons: SECTION_BUTTONS,
  onModeEnter() {
    removeShortcuts?.();
    removeShortcuts = installShortcuts(document, {
      activateBoxTool,
      accept: () => {
        if (controller?.hasPreview) void controller.accept();
        // Enter while the model works would otherwise do nothing, unexplained
        else if (controller?.isBusy) controller.sayStillWorking();
        else return false;
        return true;
      },
      discard: () => (controller && (controller.hasPreview || controller.isBusy) ? (controller.discard(), true) : false),
      propagate: () => void controller?.propagate(),
      newSegment: () => controller?.newLesion(),
    });
  },
  onModeExit() {
    removeShortcuts?.();
    removeShortcuts = null;
    controller?.discard();
    burden.clearSelection();
  },
};

const extension = {
  id: EXTENSION_ID,

  preRegistration({ servicesManager, extensionManager, commandsManager }: ExtensionParams): void {
    commands = commandsManager;
    const libraries = getCornerstoneLibraries(extensionManager);
    burden.start(libraries, servicesManager.services);
    libraries.cornerstoneTools.addTool(createMedSAMBoxTool(libraries) as never);
    const { displaySetService } = servicesManager.services;
    const update = () => state.set((s) => ({ ...s, series: toSeriesRows(displaySetService.getActiveDisplaySets()) }));
    for (const event of ['DISPLAY_SETS_ADDED', 'DISPLAY_SETS_CHANGED', 'DISPLAY_SETS_REMOVED']) {
      const name = displaySetService.EVENTS[event];
      if (name) displaySetService.subscribe(name, update);
    }
    const session = new InferenceSession({
      worker: new URL('./medsam-inference-worker.mjs', import.meta.url).href,
      wasmBase: new URL('./ort/', import.meta.url).href,
    });
    controller = new MedSAMController(libraries, servicesManager.services, state, session, () => catalogue, i18n);
    const activeModel = () =>
      catalogue?.available.find((m) => m.manifest.id === state.get().activeModelId)?.manifest ?? null;
    const services = servicesManager.services;
    saver = createSegSaver({ libraries, extensionManager, services, state, i18n, activeModel });
    // Resumes what the outbox holds from the last page, on any route, even the study list.
    void saver.start();
    installUnsavedWorkGuard(globalThis as unknown as UnloadTarget, () => state.get().save.unsavedChanges);
    const completed = libraries.cornerstoneTools.Enums.Events.ANNOTATION_COMPLETED;
    libraries.cornerstone.eventTarget.addEventListener(completed, (event: Event) => {
      const detail = (event as CustomEvent<{ annotation: Parameters<MedSAMController['onAnnotationCompleted']>[0] }>).detail;
      if (detail?.annotation) controller?.onAnnotationCompleted(detail.annotation);
    });
    void probeBackend(globalThis as never).then((backend) => state.set((s) => ({ ...s, backend })));
    void refreshModels(state);
  },

  getCommandsModule() {
    return {
      definitions: {
        medsamActivateBoxTool: { commandFn: activateBoxTool },
        medsamAccept: { commandFn: actions.accept },
        medsamDiscard: { commandFn: actions.discard },
        medsamPropagate: { commandFn: actions.propagate },
        medsamNewSegment: { commandFn: actions.newSegment },
      },
      defaultContext: 'CORNERSTONE',
    };
  },

  getUtilityModule(): Array<{ name: string; exports: MedSAMUtilities }> {
    return [{ name: UTILITY_MODULE_NAME, exports: utilities }];
  },

  getPanelModule(): PanelModuleEntry[] {
    return [
      {
        name: PANEL_NAME,
        // an icon no other tab of this mode has (the viewer's segmentation tabs sit beside ours)
        iconName: 'tab-roi-threshold',
        iconLabel: 'MedSAM',
        label: i18n.t('panel.title'),
        component: createIsolatedPanel(() => createElement(MedSAMPanel, { state, i18n, actions }), 'medsam-panel-root'),
      },
      burden.panel,
    ];
  },
};

export default extension;
