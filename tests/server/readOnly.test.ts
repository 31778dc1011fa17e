import * as decoding from 'lib0/decoding';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { SyncRejection, type SyncHooks } from '../../server/collaboration/hooks.ts';
import { encodeUpdate } from '../../server/collaboration/messages.ts';
import { getPair, readPairText } from '../../shared/model/index.ts';
import { CloseCode, MessageType, READ_ONLY_REASON } from '../../shared/protocol.ts';
import { connectProvider, rawSyncSocket, synced, waitFor } from '../helpers/clients.ts';
import { startTestServer } from '../helpers/server.ts';

const DOC = 'vn-fr-2023';

/** Test hooks: the `?as=` query decides the connection's role. */
const hooksByQuery: SyncHooks = {
  async authenticate(request) {
    const as = new URL(request.url ?? '/', 'http://x').searchParams.get('as');
    if (as === 'nobody') throw new SyncRejection(CloseCode.Unauthorized, 'sign in first');
    return { user: { id: as ?? 'someone', name: as ?? 'someone' }, readOnly: as === 'observer' };
  },
};

describe('the sync room’s seams', () => {
  let server: Awaited<ReturnType<typeof startTestServer>> | undefined;
  afterEach(async () => {
    await server?.close();
  });

  it('drops the updates of a read-only connection, tells it why, and stores nothing', async () => {
    server = await startTestServer({ hooks: hooksByQuery });
    const before = (await server.store.loadUpdates(DOC)).updates.length;
    const observer = connectProvider(server.wsUrl, DOC, new Y.Doc(), { params: { as: 'observer' } });
    const editor = connectProvider(server.wsUrl, DOC, new Y.Doc(), { params: { as: 'drafter' } });
    await Promise.all([synced(observer.provider), synced(editor.provider)]);

    // The observer's standard client writes: the server drops it.
    const observerText = (getPair(observer.doc, 'digital')!.cell('fr').get(0) as Y.XmlElement).get(0) as Y.XmlText;
    observerText.insert(0, 'OBSERVER WAS HERE ');

    // A raw observer connection sends the same update and reads the reason.
    const raw = rawSyncSocket(server.wsUrl, DOC, { query: '?as=observer' });
    await raw.opened;
    raw.ws.send(encodeUpdate(Y.encodeStateAsUpdate(observer.doc)));
    const deniedReason = () => {
      for (const m of raw.messages) {
        const decoder = decoding.createDecoder(m);
        if (decoding.readVarUint(decoder) !== MessageType.Auth) continue;
        decoding.readVarUint(decoder); // permission denied
        return decoding.readVarString(decoder);
      }
      return undefined;
    };
    await waitFor(() => deniedReason() !== undefined, 'a permission-denied reply');
    expect(deniedReason()).toBe(READ_ONLY_REASON);

    // The drafter's edit goes through; the observer's never reaches anyone.
    const drafterText = (getPair(editor.doc, 'digital')!.cell('vi').get(0) as Y.XmlElement).get(0) as Y.XmlText;
    drafterText.insert(0, 'DRAFTER ');
    await waitFor(() => readPairText(observer.doc, 'digital')!.vi.startsWith('DRAFTER'), 'the drafter edit to reach the observer');
    expect(readPairText(editor.doc, 'digital')!.fr).not.toContain('OBSERVER');
    const stored = await (await fetch(`${server.url}/api/documents/${DOC}/pairs/digital`)).json();
    expect(stored.pair.fr).not.toContain('OBSERVER');
    expect(stored.pair.vi).toMatch(/^DRAFTER/);
    expect((await server.store.loadUpdates(DOC)).updates.length).toBe(before + 1);
    observer.provider.destroy();
    editor.provider.destroy();
    raw.ws.close();
  });

  it('runs authentication before handling any message and closes refused connections with its code', async () => {
    server = await startTestServer({ hooks: hooksByQuery });
    const socket = rawSyncSocket(server.wsUrl, DOC, { query: '?as=nobody' });
    await socket.opened;
    const doc = new Y.Doc();
    doc.getArray('order').insert(0, ['intruder']);
    socket.ws.send(encodeUpdate(Y.encodeStateAsUpdate(doc)));
    const { code, reason } = await socket.closed;
    expect(code).toBe(CloseCode.Unauthorized);
    expect(reason).toBe('sign in first');
    expect(socket.messages).toHaveLength(0);
    const order = (await (await fetch(`${server.url}/api/documents/${DOC}/pairs`)).json()).pairs.map((p: { id: string }) => p.id);
    expect(order).not.toContain('intruder');
  });
});
