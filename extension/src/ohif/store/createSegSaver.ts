/**
 * Wires the SEG saver to the viewer: labelmaps and metadata from cornerstone,
 * the DICOMweb root of the viewer's active data source (our same-origin
 * `/dicom-web` proxy by default), the viewer's authorization header, the
 * browser's IndexedDB and downloads.
 */
import type { i18n as I18n } from 'i18next';
import { version } from '../../../../package.json';
import type { ModelManifest } from '../../core/inference/modelManifest';
import { Outbox } from '../../core/seg/outbox';
import type { SegEquipment } from '../../core/seg/segTypes';
import { storeSeg } from '../../core/seg/storeSeg';
import type { Store } from '../../core/util/store';
import type { CornerstoneLibraries } from '../host/cornerstoneLibraries';
import type { ExtensionManager, HostServices } from '../host/hostTypes';
import type { MedSAMState } from '../medsamState';
import { downloadBlob } from './downloadBlob';
import { readViewerSegmentation } from './readViewerSegmentation';
import { SegSaver } from './segSaver';
import { readStudySeriesNumbers } from './studySeriesNumbers';

/** Where the viewer's data source sends DICOMweb when it names no root. */
const DEFAULT_DICOMWEB_ROOT = '/dicom-web';

const SEG_EQUIPMENT: SegEquipment = {
  Manufacturer: 'MedSAM for OHIF',
  ManufacturerModelName: 'medsam-ohif',
  SoftwareVersions: version,
  // Type 1, but a browser extension has no hardware serial number.
  DeviceSerialNumber: 'web',
};

interface DataSourceLike {
  getConfig?(): { wadoRoot?: unknown } | undefined;
}

interface AuthenticationServiceLike {
  getAuthorizationHeader?(): Record<string, string> | undefined;
}

/** The data source's wadoRoot (STOW goes there too), absolute. */
export function resolveDicomWebRoot(extensionManager: ExtensionManager, baseUrl: string): string {
  const host = extensionManager as unknown as { getActiveDataSource?(): DataSourceLike[] };
  const root = host.getActiveDataSource?.()[0]?.getConfig?.()?.wadoRoot;
  const configured = typeof root === 'string' && root !== '' ? root : DEFAULT_DICOMWEB_ROOT;
  return new URL(configured, baseUrl).href.replace(/\/+$/, '');
}

export interface SegSaverHost {
  libraries: CornerstoneLibraries;
  extensionManager: ExtensionManager;
  services: HostServices;
  state: Store<MedSAMState>;
  i18n: I18n;
  activeModel(): ModelManifest | null;
}

/** The saver for this viewer; `start()` resumes the outbox. */
export function createSegSaver(host: SegSaverHost): SegSaver {
  const authentication = host.services.userAuthenticationService as
    | AuthenticationServiceLike
    | undefined;
  return new SegSaver({
    state: host.state,
    readSlices: (segmentationId) => readViewerSegmentation(host.libraries, segmentationId),
    activeModel: host.activeModel,
    seriesDescription: () => host.i18n.t('save.seriesDescription'),
    seriesNumbersInStudy: (StudyInstanceUID) =>
      readStudySeriesNumbers(
        host.services.displaySetService.getActiveDisplaySets(),
        StudyInstanceUID,
      ),
    openOutbox: () => Outbox.open(),
    // Headers are read per attempt: the viewer may have renewed its token.
    store: (entry) =>
      storeSeg(entry.bytes, entry.meta, {
        root: entry.dicomWebRoot,
        headers: authentication?.getAuthorizationHeader?.() ?? {},
      }).then(() => undefined),
    dicomWebRoot: () => resolveDicomWebRoot(host.extensionManager, document.baseURI),
    download: downloadBlob,
    equipment: SEG_EQUIPMENT,
  });
}
