/** What the panel's buttons do; implemented by the extension's controller. */
export interface PanelActions {
  accept(): void;
  discard(): void;
  propagate(): void;
  newSegment(): void;
  selectModel(id: string): void;
  /** The window the model reads CT through, by IntensityChoice id. */
  selectCtWindow(id: string): void;
  setActiveSegment(segmentIndex: number): void;
  renameSegment(segmentIndex: number, label: string): void;
  toggleSegmentVisibility(segmentIndex: number): void;
  removeSegment(segmentIndex: number): void;
  jumpToSegment(segmentIndex: number): void;
  dismissMessages(): void;
  /** Builds a DICOM SEG of the lesions and sends it to the PACS. */
  saveToPacs(): void;
  /** Downloads the SEG of an outbox row (id = its SOPInstanceUID). */
  downloadSeg(id: string): void;
  /** Sends an outbox row again now. */
  retrySeg(id: string): void;
}
