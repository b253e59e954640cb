/**
 * Layout the host's stylesheet may not carry: the viewer ships only the
 * Tailwind classes its own code uses, so arbitrary grid templates are inline.
 */
import type { CSSProperties } from 'react';

/** Label on the left, value on the right, one pair per line. */
export const LABEL_VALUE_GRID: CSSProperties = {
  display: 'grid',
  gridTemplateColumns: 'minmax(0, 1fr) auto',
  columnGap: '0.75rem',
  alignItems: 'baseline',
};

/** A line of its own inside LABEL_VALUE_GRID. */
export const FULL_ROW: CSSProperties = { gridColumn: '1 / -1' };
