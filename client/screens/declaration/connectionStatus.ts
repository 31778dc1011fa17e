import { h } from '../../lib/dom.ts';
import { t, type MessageKey } from '../../i18n/index.ts';
import type { ConnectionState, Session } from './session.ts';

/** What the connection indicator says in each state (catalogue keys). */
export const CONNECTION_TEXT: Record<ConnectionState, { label: MessageKey; detail: MessageKey }> = {
  connected: { label: 'connection.connected', detail: 'connection.connected.detail' },
  syncing: { label: 'connection.syncing', detail: 'connection.syncing.detail' },
  offline: { label: 'connection.offline', detail: 'connection.offline.detail' },
  failed: { label: 'connection.failed', detail: 'connection.failed.detail' },
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
    label.textContent = t(CONNECTION_TEXT[state].label);
    element.title = t(CONNECTION_TEXT[state].detail);
  };
  render(session.state());
  const off = session.onStateChange(render);
  return { element, destroy: off };
}
