/**
 * A small horizontal bar chart of lesion volumes (chart.js, only the parts a
 * bar chart needs are registered, so the bundle stays lean).
 */
import { useEffect, useMemo, useRef } from 'react';
import { BarController, BarElement, CategoryScale, Chart, LinearScale, Tooltip } from 'chart.js';
import type { BurdenFormat } from './burdenFormat';
import { SHOWN_DECIMALS } from './burdenFormat';
import type { LesionRow } from './burdenState';
import { createChartLabels } from './chartLabels';

// Registration is global to chart.js and idempotent: our bundle has its own copy.
Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip);

const BAR_HEIGHT_PX = 22;
/**
 * Room under the bars for the tick labels and the axis title: with 56 px and one
 * bar, chart.js drew the title over the tick numbers.
 */
const AXIS_HEIGHT_PX = 72;
const TEXT_COLOUR = '#c8d2e0';
const GRID_COLOUR = 'rgba(255,255,255,0.12)';

interface Props {
  rows: LesionRow[];
  format: BurdenFormat;
  /** Axis title, with unit. */
  axisTitle: string;
  ariaLabel: string;
  onSelect(key: string): void;
}

export function VolumeChart({ rows, format, axisTitle, ariaLabel, onSelect }: Props) {
  const canvas = useRef<HTMLCanvasElement | null>(null);
  const chart = useRef<Chart<'bar'> | null>(null);
  const lesions = useMemo(() => rows.filter((r) => r.measurement.voxelCount > 0), [rows]);

  useEffect(() => {
    const element = canvas.current;
    if (!element) return;
    const keys = lesions.map((r) => r.key);
    const data = {
      labels: createChartLabels(lesions.map((r) => r.measurement)),
      datasets: [
        {
          data: lesions.map((r) => r.measurement.volumeMl),
          backgroundColor: lesions.map(({ colour: [r, g, b] }) => `rgb(${r},${g},${b})`),
        },
      ],
    };
    const numbers = format.numbers;
    chart.current?.destroy();
    chart.current = new Chart(element, {
      type: 'bar',
      data,
      options: {
        indexAxis: 'y',
        animation: false,
        maintainAspectRatio: false,
        locale: numbers.locale,
        onClick: (_event, elements) => {
          const key = keys[elements[0]?.index ?? -1];
          if (key) onSelect(key);
        },
        plugins: {
          tooltip: {
            callbacks: {
              label: (item) =>
                format.withUnit(item.parsed.x, SHOWN_DECIMALS.volumeMl, 'burden.units.ml'),
            },
          },
        },
        scales: {
          x: {
            beginAtZero: true,
            title: { display: true, text: axisTitle, color: TEXT_COLOUR, padding: { top: 6, bottom: 0 } },
            ticks: { color: TEXT_COLOUR, callback: (value) => numbers.format(Number(value), 0) },
            grid: { color: GRID_COLOUR },
          },
          y: { ticks: { color: TEXT_COLOUR }, grid: { display: false } },
        },
      },
    });
    return () => {
      chart.current?.destroy();
      chart.current = null;
    };
  }, [lesions, format, axisTitle, onSelect]);

  return (
    <div style={{ height: lesions.length * BAR_HEIGHT_PX + AXIS_HEIGHT_PX }} className="relative">
      <canvas ref={canvas} role="img" aria-label={ariaLabel} data-testid="burden-chart" />
    </div>
  );
}
