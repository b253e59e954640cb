/**
 * The evaluation command end to end on a tiny synthetic folder: an NRRD image
 * and mask pair (a bright square on a dim background, 3 slices) imported by the
 * Python importer, the generated test model run through the viewer's engine, and
 * the markdown table read back.
 *
 * @jest-environment ./test/support/onnxNodeEnvironment.cjs
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from '../../../models/evaluation/cli';

// 64 columns fill the test model's 256-pixel input at 4 model pixels per image
// pixel, so each image pixel is exactly one of its 4 x 4 patches
const WIDTH = 64;
const HEIGHT = 48;
const SLICES = 3;
/** The square: columns 16..35, rows 12..31 (20 x 20 pixels) on every slice. */
const SQUARE = { x0: 16, x1: 35, y0: 12, y1: 31 };
const BRIGHT = 1000;
const DIM = 100;

function writeNrrd(file: string, value: (x: number, y: number) => number): void {
  const header = [
    'NRRD0004',
    'type: short',
    'dimension: 3',
    'space: left-posterior-superior',
    `sizes: ${WIDTH} ${HEIGHT} ${SLICES}`,
    'space directions: (1,0,0) (0,1,0) (0,0,3)',
    'kinds: domain domain domain',
    'endian: little',
    'encoding: raw',
    'space origin: (0,0,0)',
    '',
    '',
  ].join('\n');
  const data = new Int16Array(WIDTH * HEIGHT * SLICES);
  for (let k = 0; k < SLICES; k++) {
    for (let y = 0; y < HEIGHT; y++) {
      for (let x = 0; x < WIDTH; x++) data[(k * HEIGHT + y) * WIDTH + x] = value(x, y);
    }
  }
  writeFileSync(file, Buffer.concat([Buffer.from(header, 'latin1'), Buffer.from(data.buffer)]));
}

const inSquare = (x: number, y: number): boolean =>
  x >= SQUARE.x0 && x <= SQUARE.x1 && y >= SQUARE.y0 && y <= SQUARE.y1;

/** Dice columns (tight, +5, +10, 3D) of a method's row in the report. */
function readRow(report: string, method: string): string[] {
  const row = report.split('\n').find((line) => line.includes(`| ${method} |`) && line.includes('case_label'));
  if (!row) throw new Error(`no row for ${method} in:\n${report}`);
  return row.split('|').map((c) => c.trim()).slice(-5, -1);
}

describe('npm run evaluate', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'evaluate-'));
    writeNrrd(path.join(dir, 'case_image.nrrd'), (x, y) => (inSquare(x, y) ? BRIGHT : DIM));
    writeNrrd(path.join(dir, 'case_label.nrrd'), (x, y) => (inSquare(x, y) ? 1 : 0));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('imports the pair, runs the model and the ellipse, and writes the table', async () => {
    const out = path.join(dir, 'report.md');
    const quiet = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const quietErr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const args = [dir, '--models', 'test-model', '--out', out, '--cache', path.join(dir, 'cache')];
    const status = await main(args).finally(() => {
      quiet.mockRestore();
      quietErr.mockRestore();
    });
    expect(status).toBe(0);
    const report = readFileSync(out, 'utf8');
    expect(report).toContain('| case_image.nrrd | case_label | MR | case | nrrd | 1200 | 3 |');

    // A tight box is the square itself: the inscribed disc covers pi/4 of it,
    // so Dice = 2(pi/4)/(1 + pi/4) up to pixelation. Looser boxes make a larger
    // ellipse that spills outside the square.
    const [tight, plus5, plus10, ellipse3d] = readRow(report, 'ellipse in box').map(Number);
    const expected = (2 * Math.PI) / 4 / (1 + Math.PI / 4);
    expect(Math.abs((tight as number) - expected)).toBeLessThan(0.02);
    expect(plus5).toBeLessThan(tight as number);
    expect(plus10).toBeLessThan(plus5 as number);
    expect(Number.isNaN(ellipse3d)).toBe(true);

    // The test model marks bright patches whose centres lie inside the model box.
    // A pixel box names its last pixel by index, so the model box ends at that
    // pixel's first model pixel and the tight box drops the last row and column:
    // 19 x 19 of 20 x 20 per slice. A looser box takes the whole square. The 3D
    // walk keeps the previous mask's box plus 4 model pixels: 19 x 19 again.
    const dropped = ((2 * 19 * 19) / (19 * 19 + 20 * 20)).toFixed(3);
    expect(readRow(report, 'test-model')).toEqual([dropped, '1.000', '1.000', dropped]);
  });
});
