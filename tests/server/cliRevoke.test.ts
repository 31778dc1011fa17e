import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { io as ioClient, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { anchorOfRange } from '../../shared/anchors.ts';
import type { ThreadView } from '../../shared/comments.ts';
import { CloseCode, ErrorCode, type JoinReply } from '../../shared/protocol.ts';
import { DEMO, api, signInAs } from '../helpers/auth.ts';
import { connectProvider, synced, waitFor } from '../helpers/clients.ts';
import { firstXmlText } from '../helpers/docs.ts';
import { REPO_ROOT, startTestServer } from '../helpers/server.ts';

const DOC = 'vn-fr-2023';

/** A socket.io follower of the declaration, recording the threads pushed to it. */
async function follower(url: string, cookie: string): Promise<{ socket: Socket; pushes: ThreadView[] }> {
  const socket = ioClient(url, { transports: ['websocket'], forceNew: true, reconnection: false, extraHeaders: { cookie } });
  const pushes: ThreadView[] = [];
  socket.on('thread:changed', ({ thread }: { thread: ThreadView }) => pushes.push(thread));
  expect(await new Promise<JoinReply>((resolve) => socket.emit('document:join', { documentId: DOC }, resolve))).toMatchObject({ ok: true });
  return { socket, pushes };
}

/**
 * Issue 20, leftovers: `accord revoke` changes the store from its own process.
 * The running server finds the change in the membership log within
 * limits.sessionSweepMs and closes the revoked person's live connections, as a
 * revocation through the server does at once.
 */
describe('a membership revoked from the command line', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('closes the revoked person’s live sync connection (4403) and stops their socket.io pushes, on the running server', async () => {
    const drafter = await signInAs(server, DEMO.frDrafter);
    const accountId = (await server.store.findAccountByEmail(DEMO.frDrafter))!.id;
    const client = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie: drafter });
    await synced(client.provider);
    const closes: number[] = [];
    client.provider.on('connection-close', (event: CloseEvent | null) => event && closes.push(event.code));
    const revokedFollower = await follower(server.url, drafter);
    const witness = await follower(server.url, await signInAs(server, DEMO.frHead));

    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'revoke', '--document', DOC, '--account', accountId], {
      cwd: REPO_ROOT,
      env: { ...process.env, DATA_DIR: server.dataDir, LOG_LEVEL: 'silent' },
    });
    expect(stdout).toBe('Revoked.\n');
    await waitFor(() => closes.includes(CloseCode.Forbidden), 'the sync connection to close with 4403');
    client.provider.destroy();

    // A shared thread opened now reaches the French head, not the revoked drafter.
    const vn = await signInAs(server, DEMO.vnDrafter);
    const local = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie: vn });
    await synced(local.provider);
    const text = firstXmlText(local.doc, 'heritage', 'vi');
    const at = text.toString().indexOf('di sản');
    const made = await api(server.url, vn)(`/api/documents/${DOC}/threads`, {
      method: 'POST',
      json: { pairId: 'heritage', lang: 'vi', anchor: anchorOfRange(text, at, at + 6), quote: 'di sản', visibility: 'shared', body: 'Chia sẻ' },
    });
    expect(made.status).toBe(201);
    await waitFor(() => witness.pushes.length > 0, 'the push to the French head');
    // Answered on the same connection after any push sent to it before: none was.
    const rejoin = await new Promise<JoinReply>((resolve) => revokedFollower.socket.emit('document:join', { documentId: DOC }, resolve));
    expect(rejoin).toMatchObject({ ok: false, error: { code: ErrorCode.Forbidden } });
    expect(revokedFollower.pushes).toEqual([]);
    for (const f of [revokedFollower, witness]) f.socket.disconnect();
    local.provider.destroy();
  }, 60_000); // the CLI's own process starts through tsx: seconds on a busy machine
});
