import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { encodeAwarenessEntries, type AwarenessEntry } from '../../server/collaboration/messages.ts';
import { memberColor } from '../../shared/colors.ts';
import { limits } from '../../shared/limits.ts';
import { CloseCode, MessageType, type PresenceUser } from '../../shared/protocol.ts';
import { DEMO, api, signInAll } from '../helpers/auth.ts';
import { connectProvider, rawSyncSocket, synced, waitFor } from '../helpers/clients.ts';
import { startTestServer } from '../helpers/server.ts';

const DOC = 'vn-fr-2023';

function awarenessFrame(entries: AwarenessEntry[]): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.Awareness);
  encoding.writeVarUint8Array(e, encodeAwarenessEntries(entries));
  return encoding.toUint8Array(e);
}

/** The `user` field of a client id's state as a provider sees it. */
function userOf(provider: WebsocketProvider, clientId: number): PresenceUser | undefined {
  return (provider.awareness.getStates().get(clientId) as { user?: PresenceUser } | undefined)?.user;
}

/**
 * Regression tests for attacks on presence: awareness is written by clients,
 * so the server decides which client ids a connection may speak for and
 * stamps each state with the connection's signed-in identity.
 */
describe('awareness identity', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let cookies: Awaited<ReturnType<typeof signInAll>>;
  /** The identity the server should show for each demo member. */
  const identity = {} as Record<keyof typeof DEMO, PresenceUser>;
  let watcher: ReturnType<typeof connectProvider>;

  beforeAll(async () => {
    server = await startTestServer();
    cookies = await signInAll(server);
    // As the page computes it, from what the API says about each member.
    for (const key of Object.keys(DEMO) as Array<keyof typeof DEMO>) {
      const { body } = await api(server.url, cookies[key])(`/api/documents/${DOC}`);
      const { me, document } = body;
      identity[key] = { name: me.name, color: memberColor(document.parties, me.role, me.partyId), accountId: me.accountId, role: me.role, partyId: me.partyId };
    }
    // Someone watching presence: the secretariat, with a standard y-websocket client.
    watcher = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie: cookies.secretariat });
    await synced(watcher.provider);
  });
  afterAll(async () => {
    watcher.provider.destroy();
    await server.close();
  });

  async function rawMember(cookie: string) {
    const socket = rawSyncSocket(server.wsUrl, DOC, { cookie });
    await socket.opened;
    await waitFor(() => socket.messages.length > 0, 'sync step 1');
    return socket;
  }

  it('shows a client that announces itself as another member (name, colour, delegation, account) under its own account', async () => {
    const attacker = await rawMember(cookies.frDrafter);
    const clientId = 900_001;
    attacker.ws.send(awarenessFrame([{ clientId, clock: 1, state: { user: { ...identity.vnHead }, cursor: null } }]));
    await waitFor(() => userOf(watcher.provider, clientId) !== undefined, 'the attacker’s presence');
    expect(userOf(watcher.provider, clientId)).toEqual(identity.frDrafter);
    expect(identity.frDrafter.color).not.toBe(identity.vnHead.color);
    attacker.ws.close();
  });

  it('shows a state without a user field under the account of its connection', async () => {
    const client = await rawMember(cookies.vnDrafter);
    const clientId = 900_002;
    client.ws.send(awarenessFrame([{ clientId, clock: 1, state: { cursor: null } }]));
    await waitFor(() => userOf(watcher.provider, clientId) !== undefined, 'the presence');
    expect(userOf(watcher.provider, clientId)).toEqual(identity.vnDrafter);
    client.ws.close();
  });

  it('ignores a client that overwrites or removes the state of a client id another connection owns', async () => {
    const victim = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie: cookies.vnHead });
    await synced(victim.provider);
    victim.provider.awareness.setLocalStateField('cursor', { where: 'preamble' });
    const victimId = victim.provider.awareness.clientID;
    await waitFor(() => (watcher.provider.awareness.getStates().get(victimId) as { cursor?: unknown } | undefined)?.cursor !== undefined, 'the victim’s cursor');
    const seen = watcher.provider.awareness.getStates().get(victimId);

    const attacker = await rawMember(cookies.frDrafter);
    const clock = victim.provider.awareness.meta.get(victimId)!.clock + 100;
    attacker.ws.send(awarenessFrame([{ clientId: victimId, clock, state: { user: { name: 'Hijacked', color: '#000000' }, cursor: { where: 'closing' } } }]));
    attacker.ws.send(awarenessFrame([{ clientId: victimId, clock: clock + 1, state: null }]));
    // The attacker's own presence, sent after the attack: once the watcher sees it, it has seen whatever the attack caused.
    attacker.ws.send(awarenessFrame([{ clientId: 900_003, clock: 1, state: { cursor: null } }]));
    await waitFor(() => userOf(watcher.provider, 900_003) !== undefined, 'the attacker’s own presence');

    expect(watcher.provider.awareness.getStates().get(victimId)).toEqual(seen);
    expect(userOf(watcher.provider, victimId)).toEqual(identity.vnHead);
    expect(attacker.ws.readyState).toBe(attacker.ws.OPEN); // echoes of others' states are normal traffic: dropped, not punished
    attacker.ws.close();
    victim.provider.destroy();
  });

  it('lets a connection own only a few client ids: a flood of made-up people is cut to the limit', async () => {
    const flooder = await rawMember(cookies.frDrafter);
    const ids = Array.from({ length: 20 }, (_, i) => 910_000 + i);
    flooder.ws.send(awarenessFrame(ids.map((clientId) => ({ clientId, clock: 1, state: { cursor: null } }))));
    flooder.ws.send(awarenessFrame([{ clientId: ids[0]!, clock: 2, state: { cursor: 'last' } }]));
    await waitFor(() => (watcher.provider.awareness.getStates().get(ids[0]!) as { cursor?: unknown } | undefined)?.cursor === 'last', 'the flooder’s last update');
    expect(ids.filter((id) => watcher.provider.awareness.getStates().has(id)).length).toBe(limits.maxAwarenessClientsPerConnection);
    flooder.ws.close();
    await waitFor(() => ids.every((id) => !watcher.provider.awareness.getStates().has(id)), 'the flooder’s presence gone after it left');
  });

  it(`closes a connection that sends an awareness state larger than ${limits.maxAwarenessStateBytes} bytes with ${CloseCode.MessageTooLarge}, and shows nothing of it`, async () => {
    const client = await rawMember(cookies.frDrafter);
    const clientId = 900_004;
    client.ws.send(awarenessFrame([{ clientId, clock: 1, state: { cursor: 'x'.repeat(limits.maxAwarenessStateBytes) } }]));
    const { code, reason } = await client.closed;
    expect(code).toBe(CloseCode.MessageTooLarge);
    expect(reason).toMatch(/awareness state/);
    expect(watcher.provider.awareness.getStates().has(clientId)).toBe(false);
    expect((await api(server.url, cookies.secretariat)('/api/health')).status).toBe(200);
  });

  it('closes a connection whose state only grows past the limit once stamped, instead of storing it', async () => {
    const client = await rawMember(cookies.frDrafter);
    const stamp = JSON.stringify({ user: identity.frDrafter }).length;
    // Just under the limit as sent, above it once the user field is the account's.
    const padding = 'x'.repeat(limits.maxAwarenessStateBytes - stamp + 10);
    client.ws.send(awarenessFrame([{ clientId: 900_005, clock: 1, state: { pad: padding } }]));
    expect((await client.closed).code).toBe(CloseCode.MessageTooLarge);
  });

  it('lets an observer (read-only) share a cursor, shown with the observer’s identity', async () => {
    const observer = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie: cookies.observer });
    await synced(observer.provider);
    observer.provider.awareness.setLocalStateField('user', { name: 'Ambassador', color: '#ff0000' });
    observer.provider.awareness.setLocalStateField('cursor', { where: 'digital' });
    const id = observer.provider.awareness.clientID;
    await waitFor(() => (watcher.provider.awareness.getStates().get(id) as { cursor?: unknown } | undefined)?.cursor !== undefined, 'the observer’s cursor');
    expect(userOf(watcher.provider, id)).toEqual(identity.observer);
    observer.provider.destroy();
    await waitFor(() => !watcher.provider.awareness.getStates().has(id), 'the observer’s presence gone after it left');
  });

  it('gives a client id back once its connection has left: the same page reconnecting is shown again', async () => {
    const page = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie: cookies.frHead });
    await synced(page.provider);
    const id = page.provider.awareness.clientID;
    page.provider.awareness.setLocalStateField('cursor', { n: 1 });
    await waitFor(() => watcher.provider.awareness.getStates().has(id), 'the page’s presence');
    page.provider.disconnect();
    await waitFor(() => !watcher.provider.awareness.getStates().has(id), 'the presence gone');
    page.provider.connect();
    await synced(page.provider);
    // The server raised the clock when it removed the state; a newer local state is shown again.
    page.provider.awareness.setLocalStateField('cursor', { n: 2 });
    page.provider.awareness.setLocalStateField('cursor', { n: 3 });
    await waitFor(() => (watcher.provider.awareness.getStates().get(id) as { cursor?: { n: number } } | undefined)?.cursor?.n === 3, 'the page shown again');
    expect(userOf(watcher.provider, id)).toEqual(identity.frHead);
    page.provider.destroy();
  });

  it('shows a member’s new role next to their cursor as soon as it changes, without waiting for their page', async () => {
    const page = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie: cookies.frDrafter });
    await synced(page.provider);
    const id = page.provider.awareness.clientID;
    page.provider.awareness.setLocalStateField('cursor', { where: 'closing' });
    await waitFor(() => userOf(watcher.provider, id)?.role === 'drafter', 'the drafter’s presence');
    const setRole = (role: string) =>
      api(server.url, cookies.secretariat)(`/api/documents/${DOC}/members`, {
        method: 'POST',
        json: { name: identity.frDrafter.name, email: DEMO.frDrafter, role, partyId: 'fr' },
      });
    try {
      expect((await setRole('observer')).status).toBe(201);
      // The page sends nothing meanwhile (its own refresh comes every 15 s).
      await waitFor(() => userOf(watcher.provider, id)?.role === 'observer', 'the new role shown', 3000);
      expect(userOf(watcher.provider, id)).toMatchObject({ name: identity.frDrafter.name, accountId: identity.frDrafter.accountId, role: 'observer' });
      expect((watcher.provider.awareness.getStates().get(id) as { cursor?: unknown }).cursor).toEqual({ where: 'closing' });
      // The page's own next update still goes through (its clock follows the server's).
      page.provider.awareness.setLocalStateField('cursor', { where: 'digital' });
      await waitFor(() => (watcher.provider.awareness.getStates().get(id) as { cursor?: { where: string } }).cursor?.where === 'digital', 'the page’s next cursor');
      expect(userOf(watcher.provider, id)?.role).toBe('observer');
    } finally {
      expect((await setRole('drafter')).status).toBe(201);
      page.provider.destroy();
    }
  });
});
