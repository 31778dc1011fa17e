import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { WebsocketProvider as ProviderV3 } from 'y-websocket';
import { WebsocketProvider as ProviderV1 } from 'y-websocket-v1';
import * as Y from 'yjs';
import { HANOI_TOULOUSE_ID } from '../../server/demo/hanoiToulouse.ts';
import { SYNC_PATH } from '../../shared/protocol.ts';
import { OPERATOR, inviteMember, signInUrl } from '../../server/commands/members.ts';
import { followSignInLink } from '../helpers/auth.ts';
import { rawSyncSocket, waitFor } from '../helpers/clients.ts';
import { startTestServer } from '../helpers/server.ts';

const DOC = 'vn-fr-2023';
/** How long the reconnection rate is watched. */
const WINDOW_MS = 3000;
/**
 * Attempts allowed in that window: y-websocket's backoff after failed
 * upgrades (200, 400, 800, 1600 ms, then its 2.5 s maximum) makes 3 or 4.
 * An accepted-then-closed connection made 1.x retry every ~100 ms: ~30.
 */
const MAX_ATTEMPTS_IN_WINDOW = 5;

type Provider = { destroy(): void };
type ProviderClass = new (url: string, room: string, doc: Y.Doc, options: Record<string, unknown>) => Provider;

/**
 * Issue 20, point 7: a refused sync connection is answered with an HTTP
 * status before the upgrade, so standard clients back off; before, the
 * socket was accepted and closed with 4401/4403 at once, and y-websocket 1.x
 * took that for a working connection and reconnected ~10 times a second
 * forever (a signed-out tab left open hammered the server).
 */
describe('refused sync upgrades: clients back off instead of reconnecting in a loop (attack)', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let outsider: string;
  beforeAll(async () => {
    server = await startTestServer();
    // A member of the other declaration only.
    const { token } = await inviteMember(server.store, { documentId: HANOI_TOULOUSE_ID, name: 'Pierre Toulousain', email: 'pierre@toulouse.example', role: 'drafter', partyId: 'toulouse' }, OPERATOR);
    outsider = await followSignInLink(signInUrl(server.url, token!));
  });
  afterAll(async () => {
    await server.close();
  });

  /** Connection attempts a provider makes over WINDOW_MS, after its first retry. */
  async function attemptsOf(Provider: ProviderClass, cookie: string | undefined): Promise<number> {
    let attempts = 0;
    class Counting extends WebSocket {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols, cookie ? { headers: { cookie } } : {});
        attempts++;
      }
    }
    const provider = new Provider(`${server.wsUrl}${SYNC_PATH}`, DOC, new Y.Doc(), { WebSocketPolyfill: Counting, disableBc: true });
    try {
      await waitFor(() => attempts >= 2, 'a first retry');
      const from = attempts;
      // The one fixed wait: what is asserted is a rate, which needs a window (nothing to wait for).
      await new Promise((resolve) => setTimeout(resolve, WINDOW_MS));
      return attempts - from;
    } finally {
      provider.destroy();
    }
  }

  it('answers a signed-out client 401 and a non-member 403 as HTTP, before any WebSocket exists', async () => {
    expect((await rawSyncSocket(server.wsUrl, DOC).refused).status).toBe(401);
    expect((await rawSyncSocket(server.wsUrl, DOC, { cookie: outsider }).refused).status).toBe(403);
  });

  it.each([
    ['1.x', 'signed out', ProviderV1 as unknown as ProviderClass, undefined],
    ['1.x', 'not a member', ProviderV1 as unknown as ProviderClass, 'outsider'],
    ['3.x', 'signed out', ProviderV3 as unknown as ProviderClass, undefined],
    ['3.x', 'not a member', ProviderV3 as unknown as ProviderClass, 'outsider'],
  ] as const)(`y-websocket %s, %s: at most ${MAX_ATTEMPTS_IN_WINDOW} attempts in ${WINDOW_MS / 1000} s`, async (_version, _who, Provider, as) => {
    const attempts = await attemptsOf(Provider, as === 'outsider' ? outsider : undefined);
    expect(attempts).toBeLessThanOrEqual(MAX_ATTEMPTS_IN_WINDOW);
  }, 15_000);
});
