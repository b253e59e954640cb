/**
 * Bridges the host's React to ours. React is not exposed by the viewer, so a
 * panel is a class component (accepted by any React 18 through
 * `prototype.isReactComponent`) whose only job is to mount our own React root
 * into a div it renders, and unmount it when the host removes the panel.
 */
import { Component, createElement, type ReactNode } from 'react';
import { createRoot, type Root } from 'react-dom/client';

export function createIsolatedPanel(render: () => ReactNode, testId: string): typeof Component {
  return class IsolatedPanel extends Component {
    private root: Root | null = null;
    private container: HTMLDivElement | null = null;

    override componentDidMount(): void {
      if (this.container) {
        this.root = createRoot(this.container);
        this.root.render(render());
      }
    }

    override componentWillUnmount(): void {
      // Deferred: unmounting a root while the host is mid-render logs a warning.
      const root = this.root;
      this.root = null;
      setTimeout(() => root?.unmount(), 0);
    }

    override render(): ReactNode {
      return createElement('div', {
        'data-testid': testId,
        className: 'h-full overflow-y-auto',
        ref: (element: HTMLDivElement | null): void => {
          this.container = element;
        },
      });
    }
  };
}
