import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../shared/protocol.ts';
import type { VersionSummary } from '../../shared/versions.ts';
import { agreeEverything, cutVersion, signVersion } from '../helpers/agreement.ts';
import { DEMO, api, followSignInLink, signInAll } from '../helpers/auth.ts';
import { startTestServer } from '../helpers/server.ts';

/**
 * Signed stays signed: a version records, when it is cut, the parties whose
 * heads must sign it. Adding or removing a party later changes only later
 * versions — the signed-off version keeps its status, its sign-off block and
 * (exported again) the very same bytes.
 */

const DOC = 'vn-fr-2023';
const EU = { id: 'eu', name: { vi: 'Liên minh châu Âu', fr: 'Union européenne' } };
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'accord-signed-'));

/** The text of a PDF, as pdftotext reads it. */
function pdfText(bytes: Buffer): string {
  const file = path.join(tmp, `${Math.random().toString(36).slice(2)}.pdf`);
  fs.writeFileSync(file, bytes);
  return execFileSync('pdftotext', ['-enc', 'UTF-8', '-raw', file, '-'], { encoding: 'utf8' });
}

/** The sign-off block of an export's text: its heading through its last line (the attestation line comes after it). */
function signOffBlock(text: string): string {
  const start = text.search(/Đã ký \/ Signé par toutes les parties|Chữ ký \/ Signatures/);
  const end = text.indexOf('Accord — chuỗi');
  expect(start, 'the sign-off heading').toBeGreaterThanOrEqual(0);
  expect(end, 'the attestation line after it').toBeGreaterThan(start);
  return text.slice(start, end);
}

/** A part of a DOCX (a ZIP), as the `unzip` tool reads it. */
function docxPart(bytes: Buffer, part: string): string {
  const file = path.join(tmp, `${Math.random().toString(36).slice(2)}.docx`);
  fs.writeFileSync(file, bytes);
  return execFileSync('unzip', ['-p', file, part], { encoding: 'utf8' });
}

/** The XML of the DOCX sign-off block: from the paragraph of its heading to the one of the attestation. */
function docxSignOffXml(bytes: Buffer): string {
  const xml = docxPart(bytes, 'word/document.xml');
  const start = xml.lastIndexOf('<w:p>', xml.search(/Đã ký \/ Signé par toutes les parties|Chữ ký \/ Signatures/));
  const end = xml.lastIndexOf('<w:p>', xml.indexOf('Accord — chuỗi'));
  expect(start).toBeGreaterThan(0);
  expect(end).toBeGreaterThan(start);
  return xml.slice(start, end);
}

describe('signed stays signed', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let cookies: Record<keyof typeof DEMO, string>;
  let euHead: string;
  const as = (who: keyof typeof DEMO) => api(server.url, cookies[who]);
  const exported = async (query: string): Promise<Buffer> => {
    const res = await fetch(`${server.url}/api/documents/${DOC}/export?${query}`, { headers: { cookie: cookies.observer } });
    expect(res.status, query).toBe(200);
    return Buffer.from(await res.arrayBuffer());
  };
  const versions = async (): Promise<VersionSummary[]> => (await as('observer')(`/api/documents/${DOC}/versions`)).body.versions;

  beforeAll(async () => {
    server = await startTestServer();
    cookies = await signInAll(server);
    await agreeEverything(server.url, DOC, [cookies.vnHead, cookies.frHead], cookies.observer);
    await cutVersion(as('secretariat'), DOC);
    await signVersion(as('vnHead'), DOC, 1);
    expect((await signVersion(as('frHead'), DOC, 1)).signedOff).toBe(true);
  }, 60_000);
  afterAll(async () => {
    await server.close();
  });

  it('keeps a version signed by every head signed off when a party is added: the same PDF bytes, the same DOCX body; only later versions need the new party', async () => {
    const pdfBefore = await exported('format=pdf&layout=parallel&version=1');
    const docxBefore = await exported('format=docx&layout=parallel&version=1');
    expect(pdfText(pdfBefore)).not.toContain('DRAFT');

    expect((await as('secretariat')(`/api/documents/${DOC}/parties`, { method: 'POST', json: EU })).status).toBe(201);

    const [v1] = await versions();
    expect(v1).toMatchObject({ number: 1, signedOff: true });
    expect(v1!.requiredParties.map((p) => p.id)).toEqual(['vn', 'fr']);
    // Exported again: byte for byte the file it was (a version's export is reproducible), so its sign-off block too.
    const pdfAfter = await exported('format=pdf&layout=parallel&version=1');
    expect(pdfAfter.equals(pdfBefore)).toBe(true);
    const text = pdfText(pdfAfter);
    expect(signOffBlock(text)).toBe(signOffBlock(pdfText(pdfBefore)));
    expect(signOffBlock(text).replace(/\s+/g, ' ')).toMatch(
      /^Đã ký \/ Signé par toutes les parties Phía Việt Nam \/ Partie vietnamienne — Trần Minh Đức — [\d-]+ [\d:]+ UTC — Ed25519 [0-9a-f]{16} Phía Pháp \/ Partie française — Claire Dubois — /,
    );
    expect(text).not.toContain('DRAFT');
    expect(text).not.toContain('Union européenne');
    const docxAfter = await exported('format=docx&layout=parallel&version=1');
    expect(docxPart(docxAfter, 'word/document.xml')).toBe(docxPart(docxBefore, 'word/document.xml'));
    expect(docxSignOffXml(docxAfter)).toContain('Đã ký / Signé par toutes les parties');
    expect(docxPart(docxAfter, 'word/document.xml')).not.toContain('Union européenne');

    // The next version is cut for the parties of now: it needs the new one.
    const v2 = await cutVersion(as('secretariat'), DOC);
    expect(v2.requiredParties.map((p) => p.id)).toEqual(['vn', 'fr', 'eu']);
    expect(v2.signedOff).toBe(false);
  });

  it('refuses the head of a party added after a version was cut a signature of that version', async () => {
    const invited = await as('secretariat')(`/api/documents/${DOC}/members`, { method: 'POST', json: { name: 'Ursula Weber', email: 'eu-head@example.org', role: 'head', partyId: 'eu' } });
    expect(invited.status).toBe(201);
    euHead = await followSignInLink(invited.body.signInUrl);
    const refused = await api(server.url, euHead)(`/api/documents/${DOC}/versions/1/signatures`, { method: 'POST', json: {} });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe(ErrorCode.PartyNotRequired);
    expect(refused.body.error.message).toContain('Version 1 was cut for "vn", "fr"');
    expect((await versions())[0]!.signatures.map((s) => s.partyId)).toEqual(['vn', 'fr']);
  });

  it('keeps a version waiting for a party removed since, and cuts the next one for the parties that remain', async () => {
    const v1Pdf = await exported('format=pdf&layout=parallel&version=1');
    // The new party agrees everything (each pair and the structure); both original heads sign version 2, which still waits for the new party's head.
    await agreeEverything(server.url, DOC, [euHead], cookies.observer);
    await signVersion(as('vnHead'), DOC, 2);
    expect((await signVersion(as('frHead'), DOC, 2)).signedOff).toBe(false);
    const v2Text = pdfText(await exported('format=pdf&layout=parallel&version=2'));
    expect(signOffBlock(v2Text)).toContain('Liên minh châu Âu / Union européenne — chưa ký / pas encore signé');
    expect(v2Text.replace(/\s+/g, ' ')).toContain('DRAFT / DỰ THẢO / PROJET');

    // Its head withdraws every approval instead of signing — of each pair, then of the structure: nothing refers to the party any more, it can go.
    const pairs = (await as('observer')(`/api/documents/${DOC}/approvals`)).body.pairs as Array<{ pairId: string }>;
    for (const { pairId } of pairs) expect((await api(server.url, euHead)(`/api/documents/${DOC}/pairs/${pairId}/approval`, { method: 'DELETE' })).status).toBe(200);
    const stillAgreed = await as('secretariat')(`/api/documents/${DOC}/parties/eu`, { method: 'DELETE' });
    expect(stillAgreed.status).toBe(409);
    expect(stillAgreed.body.error.code).toBe(ErrorCode.PartyHasStructureApproval);
    expect((await api(server.url, euHead)(`/api/documents/${DOC}/structure/approval`, { method: 'DELETE' })).status).toBe(200);
    const removed = await as('secretariat')(`/api/documents/${DOC}/parties/eu`, { method: 'DELETE' });
    expect(removed.status, JSON.stringify(removed.body)).toBe(200);
    expect(removed.body.document.parties.map((p: { id: string }) => p.id)).toEqual(['vn', 'fr']);
    expect(removed.body.revokedAccountIds).toHaveLength(1);
    expect((await api(server.url, euHead)(`/api/documents/${DOC}`)).status).toBe(403);
    const [v1, v2] = await versions();
    expect(v1!.signedOff).toBe(true);
    expect(v2!.requiredParties.map((p) => p.id)).toEqual(['vn', 'fr', 'eu']);
    expect(v2!.signedOff).toBe(false);
    // Version 1's sign-off block reads as it did (the chain head printed under it moved with version 2's signatures).
    expect(signOffBlock(pdfText(await exported('format=pdf&layout=parallel&version=1')))).toBe(signOffBlock(pdfText(v1Pdf)));

    const v3 = await cutVersion(as('secretariat'), DOC);
    expect(v3.requiredParties.map((p) => p.id)).toEqual(['vn', 'fr']);
    await signVersion(as('vnHead'), DOC, 3);
    expect((await signVersion(as('frHead'), DOC, 3)).signedOff).toBe(true);
    expect((await as('observer')(`/api/documents/${DOC}/verify`)).body.ok).toBe(true);
  });
});
