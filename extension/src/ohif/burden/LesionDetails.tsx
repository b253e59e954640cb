/**
 * Everything measured on one lesion: size, intensity in the modality's units
 * and, on PET, uptake (or why SUV could not be computed).
 */
import type { i18n as I18n } from 'i18next';
import type { PetMetrics, SegmentMeasurement } from '../../core/quant';
import { SHOWN_DECIMALS, type BurdenFormat } from './burdenFormat';
import { FULL_ROW, LABEL_VALUE_GRID } from './burdenStyles';
import type { DiameterSlice } from './diameterSlice';

interface Props {
  measurement: SegmentMeasurement;
  /** The long-axis slice, numbered as the CSV numbers it (diameterSlice.ts). */
  diameterSlice: DiameterSlice | null;
  format: BurdenFormat;
  i18n: I18n;
}

function Item({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div className="contents">
      <dt className="opacity-80">{label}</dt>
      <dd className="text-right tabular-nums" data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}

function PetItems({ pet, format, i18n }: { pet: PetMetrics; format: BurdenFormat; i18n: I18n }) {
  const t = i18n.t.bind(i18n);
  const suv = (value: number | null | undefined) =>
    format.numbers.format(value, SHOWN_DECIMALS.suv);
  const mtv = format.withUnit(pet.mtvMl, SHOWN_DECIMALS.volumeMl, 'burden.units.ml');
  if (pet.status === 'raw') {
    const invalid = pet.invalid.map((p) => p.keyword ?? p.reason);
    const note = [
      pet.missing.length > 0
        ? t('burden.suvMissingHeaders', { headers: pet.missing.join(', ') })
        : '',
      invalid.length > 0 ? t('burden.suvInvalidHeaders', { headers: invalid.join(', ') }) : '',
      t('burden.suvRawShown', { unit: format.unit(pet.rawUnit) }),
    ];
    return (
      <>
        <Item label={t('burden.fields.mtv')} value={mtv} testId="burden-mtv" />
        <dd
          role="note"
          style={FULL_ROW}
          className="mt-1 text-yellow-300"
          data-testid="burden-suv-missing"
        >
          {note.filter((line) => line !== '').join(' ')}
        </dd>
      </>
    );
  }
  return (
    <>
      <Item label={t('burden.fields.suvMax')} value={suv(pet.suvMax)} testId="burden-suvmax" />
      <Item label={t('burden.fields.suvMean')} value={suv(pet.suvMean)} testId="burden-suvmean" />
      <Item
        label={t('burden.fields.suvPeak')}
        value={suv(pet.suvPeak?.value)}
        testId="burden-suvpeak"
      />
      <Item label={t('burden.fields.mtv')} value={mtv} testId="burden-mtv" />
      <Item
        label={t('burden.fields.tlg')}
        value={format.withUnit(pet.tlgG, SHOWN_DECIMALS.tlgG, 'burden.units.g')}
        testId="burden-tlg"
      />
      <dd style={FULL_ROW} className="opacity-70" data-testid="burden-suv-source">
        {t(pet.source === 'stored' ? 'burden.suvStored' : 'burden.suvComputed')}
      </dd>
    </>
  );
}

/** "N of M" in the viewer's stack, or the missing-value mark when no viewport shows it. */
function describeStackPlace(slice: DiameterSlice | null, format: BurdenFormat, i18n: I18n): string {
  if (!slice || slice.stackPosition === null || slice.stackLength === null) {
    return format.numbers.format(null, 0);
  }
  return i18n.t('burden.imageOf', { n: slice.stackPosition, total: slice.stackLength });
}

/** An identifier, not a quantity: written as is, without locale grouping. */
function describeInstanceNumber(slice: DiameterSlice | null, format: BurdenFormat): string {
  const n = slice?.InstanceNumber ?? null;
  return n === null ? format.numbers.format(null, 0) : String(n);
}

export function LesionDetails({ measurement: m, diameterSlice, format, i18n }: Props) {
  const t = i18n.t.bind(i18n);
  const mm = (value: number | undefined) =>
    format.withUnit(value, SHOWN_DECIMALS.lengthMm, 'burden.units.mm');
  const stats = m.intensity;
  const unit = stats ? format.unit(stats.unit) : '';
  const value = (v: number | undefined) =>
    stats ? format.intensity(v, stats.unit) : format.numbers.format(null, 0);
  return (
    <dl className="px-1 pb-2 pt-1 text-xs" style={LABEL_VALUE_GRID} data-testid="burden-details">
      <Item
        label={t('burden.fields.voxels')}
        value={format.numbers.format(m.voxelCount, 0)}
        testId="burden-voxels"
      />
      <Item
        label={t('burden.fields.volume')}
        value={format.withUnit(m.volumeMl, SHOWN_DECIMALS.volumeMl, 'burden.units.ml')}
        testId="burden-volume-detail"
      />
      <Item
        label={t('burden.fields.longAxis')}
        value={mm(m.diameters?.longAxis.lengthMm)}
        testId="burden-long-axis"
      />
      <Item
        label={t('burden.fields.shortAxis')}
        value={mm(m.diameters?.shortAxis.lengthMm)}
        testId="burden-short-axis"
      />
      <Item
        label={t('burden.fields.image')}
        value={describeStackPlace(m.diameters ? diameterSlice : null, format, i18n)}
        testId="burden-slice"
      />
      <Item
        label={t('burden.fields.instanceNumber')}
        value={describeInstanceNumber(m.diameters ? diameterSlice : null, format)}
        testId="burden-instance-number"
      />
      {stats && (
        <>
          <dt style={FULL_ROW} className="mt-1 font-semibold text-primary-light">
            {t('burden.fields.intensity', { unit })}
          </dt>
          <Item label={t('burden.fields.mean')} value={value(stats.mean)} testId="burden-mean" />
          <Item
            label={t('burden.fields.sd')}
            value={value(stats.standardDeviation)}
            testId="burden-sd"
          />
          <Item label={t('burden.fields.min')} value={value(stats.min)} testId="burden-min" />
          <Item label={t('burden.fields.max')} value={value(stats.max)} testId="burden-max" />
          <Item
            label={t('burden.fields.median')}
            value={value(stats.median)}
            testId="burden-median"
          />
        </>
      )}
      {m.pet && (
        <>
          <dt style={FULL_ROW} className="mt-1 font-semibold text-primary-light">
            {t('burden.fields.pet')}
          </dt>
          <PetItems pet={m.pet} format={format} i18n={i18n} />
        </>
      )}
    </dl>
  );
}
