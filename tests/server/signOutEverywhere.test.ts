import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { io as ioClient } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { issueSignInToken, signInUrl } from '../../server/commands/members.ts';
import { CloseCode, ErrorCode, type JoinReply } from '../../shared/protocol.ts';
import { DEMO, api, signInApiUrl, signInAs } from '../helpers/auth.ts';
import { connectProvider, synced, waitFor } from '../helpers/clients.ts';
import { REPO_ROOT, startTestServer } from '../helpers/server.ts';

const DOC = 'vn-fr-2023';

/** A live sync connection and socket.io follower of the declaration, opened with `cookie`, recording how they end. */
async function liveConnections(server: { url: string; wsUrl: string }, cookie: string) {
  const closes: number[] = [];
  const sync = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie });
  await synced(sync.provider);
  sync.provider.on('connection-close', (event: CloseEvent | null) => event && closes.push(event.code));
  const socket = ioClient(server.url, { transports: ['websocket'], forceNew: true, reconnection: false, extraHeaders: { cookie } });
  expect(await new Promise<JoinReply>((resolve) => socket.emit('document:join', { documentId: DOC }, resolve))).toMatchObject({ ok: true });
  let disconnected = false;
  socket.on('disconnect', () => (disconnected = true));
  return {
    closes,
    isDisconnected: () => disconnected,
    close() {
      sync.provider.destroy();
      socket.disconnect();
    },
  };
}

describe('sign out everywhere', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('from one browser ends every session of the account, closes the other browser’s live connections and voids unused links; others stay in', async () => {
    const laptop = await signInAs(server, DEMO.vnHead);
    const phone = await signInAs(server, DEMO.vnHead);
    const colleague = await signInAs(server, DEMO.vnDrafter);
    const account = (await server.store.findAccountByEmail(DEMO.vnHead))!;
    const unused = signInUrl(server.url, await issueSignInToken(server.store, account.id));
    const onPhone = await liveConnections(server, phone);
    const ofColleague = await liveConnections(server, colleague);

    const out = await api(server.url, laptop)('/api/session/logout-everywhere', { method: 'POST', json: {} });
    expect(out.status).toBe(200);
    expect(out.body).toMatchObject({ ok: true, endedSessions: 2, voidedLinks: 1 });
    for (const cookie of [laptop, phone]) expect((await api(server.url, cookie)('/api/me')).status).toBe(401);
    await waitFor(() => onPhone.closes.includes(CloseCode.Unauthorized), 'the phone’s sync connection to close with 4401');
    await waitFor(() => onPhone.isDisconnected(), 'the phone’s socket.io connection to close');
    // A link issued before and not used is no way back in.
    const voided = await fetch(signInApiUrl(unused), { method: 'POST', headers: { origin: server.url } });
    expect([voided.status, (await voided.json()).error.code]).toEqual([404, ErrorCode.InvalidToken]);
    // Someone else is untouched.
    expect((await api(server.url, colleague)('/api/me')).status).toBe(200);
    expect(ofColleague.closes).toEqual([]);
    expect(ofColleague.isDisconnected()).toBe(false);
    onPhone.close();
    ofColleague.close();
  });

  it('needs a session, and is refused from another site (attack)', async () => {
    const cookie = await signInAs(server, DEMO.frHead);
    expect((await api(server.url, undefined)('/api/session/logout-everywhere', { method: 'POST', json: {} })).status).toBe(401);
    const evil = await api(server.url, cookie)('/api/session/logout-everywhere', { method: 'POST', json: {}, headers: { origin: 'https://evil.example' } });
    expect(evil.status).toBe(403);
    expect((await api(server.url, cookie)('/api/me')).status).toBe(200);
  });

  it('from the command line ends the sessions, and the running server closes their live connections', async () => {
    const cookie = await signInAs(server, DEMO.frDrafter);
    const live = await liveConnections(server, cookie);
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'sign-out-everywhere', '--email', DEMO.frDrafter], {
      cwd: REPO_ROOT,
      env: { ...process.env, DATA_DIR: server.dataDir },
    });
    expect(stdout).toBe('Signed Julien Martin out everywhere: 1 session(s) ended, 0 unused sign-in link(s) voided.\n');
    expect((await api(server.url, cookie)('/api/me')).status).toBe(401);
    await waitFor(() => live.closes.includes(CloseCode.Unauthorized), 'the sync connection to close with 4401');
    await waitFor(() => live.isDisconnected(), 'the socket.io connection to close');
    live.close();
  });
});
