/**
 * Loading the demo studies printed "Invalid vr type xs - using US" hundreds of
 * times (dcmjs's word for a US-or-SS dictionary entry, not a fault of the file):
 * the header reader silences dcmjs's validation logger. The logger binds the
 * console when it is configured, so its level is what is checked here.
 * Deliberately without test/support/quietDcmjs, which sets the same level.
 */
import dcmjs from 'dcmjs';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { readInstanceUIDs } from '../../../server/src/studies/dicomHeader';

const CT_DIR = path.resolve(__dirname, '../../../../shared/data/ct-sarcoma/ct');
const validation = (dcmjs as unknown as { log: { getLogger(name: string): { getLevel(): number; levels: { SILENT: number } } } })
  .log.getLogger('validation.dcmjs');

it('reads a CT header with dcmjs value-representation warnings silenced', () => {
  const file = readdirSync(CT_DIR).sort()[0]!;
  const result = readInstanceUIDs(new Uint8Array(readFileSync(path.join(CT_DIR, file))));
  expect(JSON.stringify(result)).toContain('1.3.6.1.4.1.14519.5.2.1.5168.1900');
  expect(validation.getLevel()).toBe(validation.levels.SILENT);
});
