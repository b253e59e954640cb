/**
 * Draws a MedSAM result over the viewport as an SVG outline, before the user
 * accepts it. The preview is deliberately not a segment: Escape must leave
 * nothing behind in the segmentation (and nothing to undo).
 *
 * The outline follows pixel edges (core/util/maskOutline.ts) mapped through
 * the image plane to world and then to canvas, and is redrawn whenever the
 * camera or the displayed image changes.
 */
import { imageIndexToWorld } from '../../core/dicom/planeTransforms';
import type { ImagePlane } from '../../core/dicom/seriesGeometry';
import { computeMaskOutline, type Edge } from '../../core/util/maskOutline';
import type { CornerstoneLibraries } from '../host/cornerstoneLibraries';
import { readCurrentImageId, type StackViewportLike } from '../viewport/stackViewport';

const SVG_NS = 'http://www.w3.org/2000/svg';
const PREVIEW_COLOUR = '#ffd400';
const PREVIEW_STROKE_PX = 2;

export interface MaskPreview {
  imageId: string;
  plane: ImagePlane;
  mask: Uint8Array;
}

export class MaskPreviewOverlay {
  private svg: SVGSVGElement | null = null;
  private edges: Edge[] = [];
  private preview: MaskPreview | null = null;
  private readonly redraw = () => this.draw();

  constructor(
    private readonly libraries: CornerstoneLibraries,
    private readonly viewport: StackViewportLike,
  ) {}

  show(preview: MaskPreview): void {
    this.preview = preview;
    this.edges = computeMaskOutline(preview.mask, preview.plane.Columns, preview.plane.Rows);
    if (!this.svg) this.attach();
    this.draw();
  }

  get current(): MaskPreview | null {
    return this.preview;
  }

  clear(): void {
    this.preview = null;
    this.edges = [];
    this.detach();
  }

  private attach(): void {
    const svg = document.createElementNS(SVG_NS, 'svg');
    svg.setAttribute('data-testid', 'medsam-preview');
    svg.style.cssText = 'position:absolute;inset:0;width:100%;height:100%;pointer-events:none;z-index:5';
    this.viewport.element.appendChild(svg);
    this.svg = svg;
    const { Events } = this.libraries.cornerstone.Enums;
    for (const event of [Events.CAMERA_MODIFIED, Events.IMAGE_RENDERED]) {
      this.viewport.element.addEventListener(event, this.redraw);
    }
  }

  private detach(): void {
    const { Events } = this.libraries.cornerstone.Enums;
    for (const event of [Events.CAMERA_MODIFIED, Events.IMAGE_RENDERED]) {
      this.viewport.element.removeEventListener(event, this.redraw);
    }
    this.svg?.remove();
    this.svg = null;
  }

  private draw(): void {
    const svg = this.svg;
    const preview = this.preview;
    if (!svg || !preview) return;
    // Only on the slice it was computed for: scrolling away hides it.
    const onSlice = readCurrentImageId(this.viewport) === preview.imageId;
    const toCanvas = (c: number, r: number) => this.viewport.worldToCanvas(imageIndexToWorld(preview.plane, c, r));
    let d = '';
    if (onSlice) {
      for (const [x0, y0, x1, y1] of this.edges) {
        const a = toCanvas(x0, y0);
        const b = toCanvas(x1, y1);
        d += `M${a[0].toFixed(1)} ${a[1].toFixed(1)}L${b[0].toFixed(1)} ${b[1].toFixed(1)}`;
      }
    }
    svg.replaceChildren();
    const path = document.createElementNS(SVG_NS, 'path');
    path.setAttribute('d', d);
    path.setAttribute('stroke', PREVIEW_COLOUR);
    path.setAttribute('stroke-width', String(PREVIEW_STROKE_PX));
    path.setAttribute('fill', 'none');
    svg.appendChild(path);
  }
}
