/**
 * The tumour-burden panel as one piece for the extension's entry point: its
 * store, its controller (started once the viewer's services exist) and its
 * panel module entry.
 */
import { createElement } from 'react';
import type { i18n as I18n } from 'i18next';
import type { CornerstoneLibraries } from '../host/cornerstoneLibraries';
import type { PanelModuleEntry, ServicesManager } from '../host/hostTypes';
import { BURDEN_PANEL_NAME } from '../ids';
import { createIsolatedPanel } from '../panel/mountIsolatedPanel';
import { createBurdenState } from './burdenState';
import { TumourBurdenController } from './tumourBurdenController';
import { TumourBurdenPanel, type BurdenActions } from './TumourBurdenPanel';

export interface BurdenFeature {
  /** Called from preRegistration: listens to the viewer's segmentations. */
  start(libraries: CornerstoneLibraries, services: ServicesManager['services']): void;
  /** Clears the drawn diameters (mode left). */
  clearSelection(): void;
  panel: PanelModuleEntry;
}

export function createBurdenFeature(i18n: I18n): BurdenFeature {
  const state = createBurdenState();
  let controller: TumourBurdenController | null = null;
  let visible = false;
  const actions: BurdenActions = {
    setVisible: (shown) => {
      visible = shown;
      controller?.setVisible(shown);
    },
    select: (key) => controller?.select(key),
    downloadCsv: () => controller?.downloadCsv(),
  };
  return {
    start(libraries, services) {
      controller?.dispose();
      controller = new TumourBurdenController(libraries, services, state, i18n);
      controller.setVisible(visible);
    },
    clearSelection: () => controller?.select(null),
    panel: {
      name: BURDEN_PANEL_NAME,
      iconName: 'tab-linear',
      iconLabel: i18n.t('burden.iconLabel'),
      label: i18n.t('burden.title'),
      component: createIsolatedPanel(
        () => createElement(TumourBurdenPanel, { state, i18n, actions }),
        'medsam-burden-panel-root',
      ),
    },
  };
}
