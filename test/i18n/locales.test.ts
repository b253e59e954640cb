/**
 * Every string the English UI has, the French one has too, with the same
 * interpolation variables: a missing key would show English (or the raw key)
 * to a French-speaking radiologist.
 */
import en from '../../extension/src/i18n/locales/en.json';
import fr from '../../extension/src/i18n/locales/fr.json';
import { createI18n, pickLanguage, readViewerLanguage } from '../../extension/src/i18n/i18n';

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
}

const variables = (text: string) => [...text.matchAll(/{{\s*(\w+)\s*}}/g)].map((m) => m[1]).sort();

describe('locales', () => {
  const english = flatten(en as Tree);
  const french = flatten(fr as Tree);

  it('French has exactly the English keys', () => {
    expect([...french.keys()].sort()).toEqual([...english.keys()].sort());
  });

  it('keeps every interpolation variable', () => {
    for (const [key, text] of english) expect([key, variables(french.get(key) ?? '')]).toEqual([key, variables(text)]);
  });

  it('translates: French differs from English where words are involved', () => {
    const same = [...english].filter(([key, text]) => /[a-z]{4,}/i.test(text) && french.get(key) === text);
    // Proper names, units and symbols may stay the same; sentences may not.
    const sameOnPurpose = [
      ...['panel.title', 'panel.work', 'toolbar.group', 'segmentation.label'], // product name
      ...['panel.seriesRow_one', 'panel.seriesRow_other', 'backend.cpu', 'burden.axes', 'burden.units.suv', 'intensity.window'], // units, symbols
      // Words spelled the same in French:
      ...['burden.chartAxis', 'burden.fields.voxels', 'burden.fields.volume', 'burden.fields.image'],
      ...['burden.fields.min', 'burden.fields.max', 'burden.fields.suvMax', 'intensity.ct-abdomen'],
    ];
    expect(same.map(([key]) => key).filter((key) => !sameOnPurpose.includes(key))).toEqual([]);
  });

  it('finds the language where the viewer keeps it, in the viewer\'s order', () => {
    const storage = (value: string | null) => ({ getItem: () => value });
    const scope = {
      location: { search: '?StudyInstanceUIDs=1' },
      document: { cookie: 'a=1; i18next=fr' },
      localStorage: storage('en-US'),
      navigator: { language: 'de-DE' },
    };
    expect(readViewerLanguage(scope)).toBe('fr');
    expect(readViewerLanguage({ ...scope, location: { search: '?lng=en' } })).toBe('en');
    expect(readViewerLanguage({ ...scope, document: { cookie: '' } })).toBe('en-US');
    expect(readViewerLanguage({ ...scope, document: { cookie: '' }, localStorage: storage(null) })).toBe('de-DE');
  });

  it('follows the viewer language and falls back to English', () => {
    expect(pickLanguage('fr-CA')).toBe('fr');
    expect(pickLanguage('de')).toBe('en');
    expect(createI18n('fr').t('actions.accept')).toBe('Accepter');
    expect(createI18n('en').t('actions.accept')).toBe('Accept');
  });

  it('counts images in the singular for one (a SEG is one image)', () => {
    const row = (language: 'en' | 'fr', count: number) =>
      createI18n(language).t('panel.seriesRow', { modality: 'SEG', description: 'MedSAM', count });
    expect(row('en', 1)).toBe('SEG · MedSAM · 1 image');
    expect(row('en', 48)).toBe('SEG · MedSAM · 48 images');
    expect(row('fr', 1)).toBe('SEG · MedSAM · 1 image');
    expect(row('fr', 48)).toBe('SEG · MedSAM · 48 images');
  });

  it('says pixel and slice in the singular for one (a new user saw "1 pixels", "1 slices")', () => {
    const en = createI18n('en');
    const fr = createI18n('fr');
    expect(en.t('work.previewReady', { count: 1 })).toMatch(/^Outline ready \(1 pixel\):/);
    expect(en.t('work.previewReady', { count: 1995 })).toMatch(/^Outline ready \(1995 pixels\):/);
    expect(en.t('notices.propagated', { count: 1 })).toMatch(/^The lesion now covers 1 slice\./);
    expect(en.t('notices.propagated', { count: 15 })).toMatch(/^The lesion now covers 15 slices\./);
    expect(fr.t('work.previewReady', { count: 1 })).toMatch(/^Contour prêt \(1 pixel\)/);
    expect(fr.t('notices.propagated', { count: 15 })).toMatch(/couvre maintenant 15 coupes\./);
  });

  it('names an outbox row by when it was written, not as saved: the status line says whether it is stored', () => {
    const row = createI18n('en').t('save.row', { description: 'MedSAM lesions · CT', time: '5:56 PM' });
    expect(row).toBe('MedSAM lesions · CT · written at 5:56 PM');
    expect(row).not.toMatch(/saved|stored/i);
  });
});
