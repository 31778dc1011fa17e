import * as decoding from 'lib0/decoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { encodeUpdate } from '../../server/collaboration/messages.ts';
import type { OpeningStep } from '../../server/collaboration/syncServer.ts';
import { OPERATOR, inviteMember, signInUrl } from '../../server/commands/members.ts';
import { getPair, paragraphXmlText } from '../../shared/model/index.ts';
import { CloseCode, MessageType, READ_ONLY_REASON } from '../../shared/protocol.ts';
import { DEMO, api, followSignInLink, signInAs } from '../helpers/auth.ts';
import { rawSyncSocket, waitFor } from '../helpers/clients.ts';
import { startTestServer } from '../helpers/server.ts';

const DOC = 'vn-fr-2023';
const STEPS: OpeningStep[] = ['before-authentication', 'authenticated', 'upgraded', 'room'];

type Revoke = 'removed' | 'downgraded' | 'signed out';

/**
 * Issue 20, point 8: a revoke that lands while a sync connection opens —
 * between its authentication and its joining the room — used to miss it
 * (the room applies a revoke to its members, and the connection was not one
 * yet). The server's opening probe revokes at each point where the opening
 * waits; whatever the point, the connection is refused, closed, or joins
 * with the new role — never with the old one.
 */
describe('a revoke during a sync connection’s opening is applied to it (attack)', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let secretariat: string;
  beforeAll(async () => {
    server = await startTestServer();
    secretariat = await signInAs(server, DEMO.secretariat);
  });
  afterAll(async () => {
    await server.close();
  });

  let invited = 0;
  /** A new drafter of the French party, signed in: a fresh account for each case. */
  async function newDrafter() {
    const email = `race-${++invited}@example.org`;
    const { account, token } = await inviteMember(server.store, { documentId: DOC, name: `Race ${invited}`, email, role: 'drafter', partyId: 'fr' }, OPERATOR);
    return { accountId: account.id, email, cookie: await followSignInLink(signInUrl(server.url, token!)) };
  }

  async function revoke(kind: Revoke, member: { accountId: string; email: string; cookie: string }): Promise<void> {
    const response =
      kind === 'removed'
        ? await api(server.url, secretariat)(`/api/documents/${DOC}/members/${member.accountId}`, { method: 'DELETE', headers: { origin: server.url } })
        : kind === 'downgraded'
          ? await api(server.url, secretariat)(`/api/documents/${DOC}/members`, { method: 'POST', json: { name: 'Race', email: member.email, role: 'observer', partyId: 'fr' } })
          : await api(server.url, member.cookie)('/api/session/logout', { method: 'POST', json: {} });
    expect(response.status).toBeLessThan(300);
  }

  /** How the connection ends up: refused before the upgrade, closed, or joined (its first message came). */
  async function outcome(socket: ReturnType<typeof rawSyncSocket>): Promise<string> {
    return Promise.race([
      socket.refused.then((r) => `refused ${r.status}`),
      socket.closed.then((c) => `closed ${c.code}`),
      waitFor(() => socket.messages.length > 0, 'the first message').then(() => 'joined'),
    ]);
  }

  const expected: Record<Revoke, string[]> = {
    removed: ['refused 403', `closed ${CloseCode.Forbidden}`],
    'signed out': ['refused 401', `closed ${CloseCode.Unauthorized}`],
    downgraded: ['joined'], // and read-only: checked below
  };

  for (const kind of ['removed', 'signed out', 'downgraded'] as const) {
    for (const step of STEPS) {
      it(`${kind} at "${step}": the connection does not keep the old rights`, async () => {
        const member = await newDrafter();
        let revoked = false;
        server.sync.openingProbe = async (at) => {
          if (at !== step || revoked) return;
          revoked = true;
          await revoke(kind, member);
        };
        try {
          const socket = rawSyncSocket(server.wsUrl, DOC, { cookie: member.cookie });
          const ended = await outcome(socket);
          expect(revoked).toBe(true);
          expect(expected[kind]).toContain(ended);
          if (kind === 'downgraded') {
            // Its write is refused as an observer's: the connection carries the new role.
            await waitFor(() => socket.messages.length > 0, 'sync step 1');
            const doc = new Y.Doc();
            const { updates } = await server.store.loadUpdates(DOC);
            Y.applyUpdate(doc, Y.mergeUpdates(updates));
            const vector = Y.encodeStateVector(doc);
            paragraphXmlText(getPair(doc, 'digital')!.cell('fr').get(0) as Y.XmlElement)!.insert(0, 'APRÈS ');
            socket.ws.send(encodeUpdate(Y.encodeStateAsUpdate(doc, vector)));
            await waitFor(
              () =>
                socket.messages.some((m) => {
                  const d = decoding.createDecoder(m);
                  return decoding.readVarUint(d) === MessageType.Auth && (decoding.readVarUint(d), decoding.readVarString(d)) === READ_ONLY_REASON;
                }),
              'a permission-denied reply',
            );
          } else if (ended === 'joined') {
            throw new Error('joined after the revoke');
          }
          socket.ws.close();
        } finally {
          server.sync.openingProbe = undefined;
        }
      });
    }
  }
});
