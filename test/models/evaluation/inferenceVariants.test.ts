import { DEFAULT_FUSION } from '../../../extension/src/core/inference/outline/fuseWithAppearance';
import { parseVariant, VariantSyntaxError } from '../../../models/evaluation/inferenceVariants';
import { parseArguments, CliUsageError } from '../../../models/evaluation/cli';

describe('parseVariant', () => {
  it('reads joined settings into decoding and propagation options', () => {
    expect(parseVariant('refine=2+single+growth=0.25+prevmask+margin=4+drift=1.5')).toEqual({
      name: 'refine=2+single+growth=0.25+prevmask+margin=4+drift=1.5',
      segment: { refinePasses: 2, maskChoice: 'single' },
      propagation: { growthLimit: 0.25, previousMaskPrompt: true, marginModel: 4, intensityDriftSd: 1.5 },
    });
    expect(parseVariant('bestmask').segment).toEqual({ maskChoice: 'best-of-all' });
    expect(parseVariant('iou=0.8+drift=1').propagation).toEqual({ minIou: 0.8, intensityDriftSd: 1 });
  });

  it('reads fusion with the default weights, or with the appearance and ellipse terms weighted', () => {
    expect(parseVariant('fuse').segment.fusion).toEqual(DEFAULT_FUSION);
    expect(parseVariant('fuse=1+ellipse=0.5').segment.fusion).toEqual({ ...DEFAULT_FUSION, appearanceWeight: 1, ellipseWeight: 0.5 });
    expect(parseVariant('single').segment.fusion).toBeUndefined();
    expect(parseVariant('plain').segment.fusion).toBeNull();
  });

  it('names what it does not understand', () => {
    expect(() => parseVariant('refine=1.5')).toThrow(/refine needs a whole number/);
    expect(() => parseVariant('growth=')).toThrow(VariantSyntaxError);
    expect(() => parseVariant('sharpen')).toThrow(/"sharpen" is not one of/);
    expect(() => parseArguments(['--variants', 'refine=x'])).toThrow(CliUsageError);
    expect(parseArguments(['--variants', 'refine=1,growth=0.3']).variants?.map((v) => v.name)).toEqual([
      'refine=1',
      'growth=0.3',
    ]);
  });
});
