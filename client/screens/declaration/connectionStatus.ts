import { h } from '../../lib/dom.ts';
import type { ConnectionState, Session } from './session.ts';

/** What the connection indicator says in each state. */
export const CONNECTION_TEXT: Record<ConnectionState, { label: string; detail: string }> = {
  connected: { label: 'Connected', detail: 'Your edits are shared as you type.' },
  syncing: { label: 'Syncing…', detail: 'Bringing this page up to date with the server.' },
  offline: {
    label: 'Offline — your edits are kept and will be sent on reconnect',
    detail: 'Keep this page open: edits made now are sent when the connection returns.',
  },
  failed: { label: 'Disconnected', detail: 'The server closed this declaration for this page.' },
};

/**
 * The connection indicator in the header: a coloured dot and a short text,
 * with the state in `data-state` (connected / syncing / offline / failed).
 */
export function connectionStatus(session: Session): { element: HTMLElement; destroy(): void } {
  const label = h('span', { class: 'connection__label' });
  const element = h(
    'div',
    {
      class: 'connection',
      attrs: { 'data-testid': 'connection-state', role: 'status', 'aria-live': 'polite' },
    },
    h('span', { class: 'connection__dot', attrs: { 'aria-hidden': 'true' } }),
    label,
  );
  const render = (state: ConnectionState): void => {
    element.dataset.state = state;
    label.textContent = CONNECTION_TEXT[state].label;
    element.title = CONNECTION_TEXT[state].detail;
  };
  render(session.state());
  const off = session.onStateChange(render);
  return { element, destroy: off };
}
