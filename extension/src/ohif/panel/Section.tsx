import type { ReactNode } from 'react';

/** One titled block of the panel. */
export function Section(props: { title: string; children: ReactNode; testId: string }) {
  return (
    <section className="border-b border-secondary-light px-3 py-2" data-testid={props.testId}>
      <h3 className="mb-1 text-sm font-semibold text-primary-light">{props.title}</h3>
      <div className="text-sm text-white">{props.children}</div>
    </section>
  );
}

/**
 * Only classes the viewer's own stylesheet defines take effect (we ship no CSS):
 * `disabled:opacity-40` was not among them, and disabled buttons looked enabled.
 */
export const buttonClass =
  'rounded border border-primary-main bg-primary-dark px-2 py-0.5 text-xs text-white hover:bg-primary-main disabled:cursor-not-allowed disabled:opacity-50';
