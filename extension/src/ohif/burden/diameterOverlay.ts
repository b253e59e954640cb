/**
 * Draws a lesion's long and short axes over a viewport as SVG, on the slice
 * where they were measured, redrawn whenever the camera or the image changes
 * (as the MedSAM preview does). A drawing, not an annotation: it must not end
 * up in the viewer's measurements or in an exported report.
 */
import type { Vec3 } from '../../core/dicom/seriesGeometry';
import type { CornerstoneLibraries } from '../host/cornerstoneLibraries';
import { readCurrentImageId, type StackViewportLike } from '../viewport/stackViewport';

const SVG_NS = 'http://www.w3.org/2000/svg';
const LONG_AXIS_STROKE_PX = 2;
const SHORT_AXIS_STROKE_PX = 1.5;
const SHORT_AXIS_DASH = '5 3';
const ENDPOINT_RADIUS_PX = 3;
const LABEL_FONT_PX = 12;
/** Rough advance of one character, in font sizes, to keep labels inside the viewport. */
const LABEL_CHAR_WIDTH_EM = 0.6;
/** Distance of a length label from its line's end, px. */
const LABEL_OFFSET_PX = 6;
/** Dark halo behind text so it reads over bright tissue. */
const LABEL_HALO = 'rgba(0,0,0,0.85)';
/** Width of the dark band on each side of an axis line, px. */
const AXIS_HALO_PX = 1.5;

export interface AxisDrawing {
  start: Vec3;
  end: Vec3;
  /** Length as shown to the user (locale formatted, with unit). */
  label: string;
}

export interface DiameterDrawing {
  /** The source image the axes lie on. */
  imageId: string;
  longAxis: AxisDrawing;
  shortAxis: AxisDrawing;
  /** CSS colour of the lesion's segment. */
  colour: string;
}

export class DiameterOverlay {
  private svg: SVGSVGElement | null = null;
  private viewport: StackViewportLike | null = null;
  private drawing: DiameterDrawing | null = null;
  private readonly redraw = () => this.draw();

  constructor(private readonly libraries: CornerstoneLibraries) {}

  show(viewport: StackViewportLike, drawing: DiameterDrawing): void {
    if (this.viewport !== viewport) this.detach();
    this.drawing = drawing;
    if (!this.svg) this.attach(viewport);
    this.draw();
  }

  clear(): void {
    this.drawing = null;
    this.detach();
  }

  private attach(viewport: StackViewportLike): void {
    const svg = document.createElementNS(SVG_NS, 'svg');
    svg.setAttribute('data-testid', 'burden-diameters');
    svg.style.cssText =
      'position:absolute;inset:0;width:100%;height:100%;pointer-events:none;z-index:6';
    viewport.element.appendChild(svg);
    this.svg = svg;
    this.viewport = viewport;
    const { Events } = this.libraries.cornerstone.Enums;
    for (const event of [Events.CAMERA_MODIFIED, Events.IMAGE_RENDERED]) {
      viewport.element.addEventListener(event, this.redraw);
    }
  }

  private detach(): void {
    const viewport = this.viewport;
    if (viewport) {
      const { Events } = this.libraries.cornerstone.Enums;
      for (const event of [Events.CAMERA_MODIFIED, Events.IMAGE_RENDERED]) {
        viewport.element.removeEventListener(event, this.redraw);
      }
    }
    this.svg?.remove();
    this.svg = null;
    this.viewport = null;
  }

  private draw(): void {
    const { svg, viewport, drawing } = this;
    if (!svg || !viewport || !drawing) return;
    svg.replaceChildren();
    // Only on the slice the axes were measured on: scrolling away hides them.
    if (readCurrentImageId(viewport) !== drawing.imageId) return;
    this.drawAxis(svg, viewport, drawing.longAxis, drawing.colour, 'long');
    this.drawAxis(svg, viewport, drawing.shortAxis, drawing.colour, 'short');
  }

  private drawAxis(
    svg: SVGSVGElement,
    viewport: StackViewportLike,
    axis: AxisDrawing,
    colour: string,
    kind: 'long' | 'short',
  ): void {
    const a = viewport.worldToCanvas(axis.start);
    const b = viewport.worldToCanvas(axis.end);
    const width = kind === 'long' ? LONG_AXIS_STROKE_PX : SHORT_AXIS_STROKE_PX;
    // A dark halo under each axis: drawn in the segment's colour over the
    // segment's own fill, a bare line (the dashed short axis above all) is lost.
    svg.appendChild(
      element('line', {
        x1: a[0],
        y1: a[1],
        x2: b[0],
        y2: b[1],
        stroke: LABEL_HALO,
        'stroke-width': width + 2 * AXIS_HALO_PX,
        'stroke-linecap': 'round',
      }),
    );
    const line = element('line', {
      x1: a[0],
      y1: a[1],
      x2: b[0],
      y2: b[1],
      stroke: colour,
      'stroke-width': width,
      'stroke-dasharray': kind === 'long' ? 'none' : SHORT_AXIS_DASH,
      'data-testid': `burden-overlay-${kind}-axis`,
    });
    svg.appendChild(line);
    for (const p of [a, b]) {
      svg.appendChild(
        element('circle', { cx: p[0], cy: p[1], r: ENDPOINT_RADIUS_PX, fill: colour }),
      );
    }
    // The label sits past the end that is further right, so it clears the
    // lesion; near the viewport's right edge it goes left of that end instead.
    const [near, far] = a[0] > b[0] ? [b, a] : [a, b];
    const dx = far[0] - near[0];
    const dy = far[1] - near[1];
    const length = Math.hypot(dx, dy) || 1;
    const labelWidth = axis.label.length * LABEL_FONT_PX * LABEL_CHAR_WIDTH_EM;
    const right = far[0] + (dx / length) * LABEL_OFFSET_PX + LABEL_OFFSET_PX / 2;
    const fits = right + labelWidth <= viewport.element.clientWidth;
    const text = element('text', {
      x: fits ? right : far[0] - LABEL_OFFSET_PX,
      y: far[1] + (dy / length) * LABEL_OFFSET_PX + (fits ? LABEL_FONT_PX / 3 : LABEL_FONT_PX),
      'text-anchor': fits ? 'start' : 'end',
      fill: colour,
      'font-size': LABEL_FONT_PX,
      'font-family': 'sans-serif',
      stroke: LABEL_HALO,
      'stroke-width': 3,
      'paint-order': 'stroke',
      'data-testid': `burden-overlay-${kind}-axis-label`,
    });
    text.textContent = axis.label;
    svg.appendChild(text);
  }
}

function element(name: string, attributes: Record<string, string | number>): SVGElement {
  const node = document.createElementNS(SVG_NS, name);
  for (const [key, value] of Object.entries(attributes)) {
    node.setAttribute(key, typeof value === 'number' ? value.toFixed(1) : value);
  }
  return node;
}
