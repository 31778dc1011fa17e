import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseVersionContent, serializeVersion, versionHash } from '../../server/versions/canonical.ts';
import { cellText, plainCell, type CanonicalCell } from '../../shared/canonicalText.ts';
import { ErrorCode } from '../../shared/protocol.ts';
import { accord, agreeEverything, cutVersion, signVersion, tamper } from '../helpers/agreement.ts';
import { DEMO, api, signInAll, signInAs } from '../helpers/auth.ts';
import { startTestServer, tempDataDir } from '../helpers/server.ts';

/**
 * Someone with write access to the database but not to the server key edits
 * the SQLite file — deletes, truncates, reorders, rewrites — and `accord
 * verify` (the API and the command line) names what was done. One history is
 * made through the real API, with the key outside DATA_DIR as the README
 * advises; each test edits a copy of it, then verifies the copy.
 *
 * The chain of that history: 1 version 1 · 2 vn signs it · 3 fr signs it
 * (signed off) · 4 version 2 · 5 vn signs it · 6 version 3 (unsigned).
 */

const DOC = 'vn-fr-2023';

/** A cell with a word replaced in each of its runs (the canonical runs of a stored version, as an editor of the database would change them). */
const replaced = (cell: CanonicalCell, from: string, to: string): CanonicalCell => cell.map((paragraph) => paragraph.map((run) => ({ ...run, text: run.text.replace(from, to) })));

interface Place {
  dataDir: string;
  keyDir: string;
  keyFile: string;
}

function copyOf(place: Place): Place {
  const root = tempDataDir('accord-tampered');
  const copy = { dataDir: path.join(root, 'data'), keyDir: path.join(root, 'keys'), keyFile: path.join(root, 'keys', 'server-ed25519.pem') };
  fs.cpSync(place.dataDir, copy.dataDir, { recursive: true });
  fs.cpSync(place.keyDir, copy.keyDir, { recursive: true });
  return copy;
}

const envOf = (place: Place) => ({ DATA_DIR: place.dataDir, ACCORD_KEY_FILE: place.keyFile });

describe('the verifier names what was done to the database (attack)', () => {
  let history: Place;
  /** The same data directory and key directory after step 3 (version 1 signed off), as a backup would hold them. */
  let backup: Place;
  const exports: Record<string, string> = {};

  beforeAll(async () => {
    const root = tempDataDir('accord-history');
    history = { dataDir: path.join(root, 'data'), keyDir: path.join(root, 'keys'), keyFile: path.join(root, 'keys', 'server-ed25519.pem') };
    let server = await startTestServer({ dataDir: history.dataDir, env: { ACCORD_KEY_FILE: history.keyFile } });
    let cookies = await signInAll(server);
    await agreeEverything(server.url, DOC, [cookies.vnHead, cookies.frHead], cookies.observer);
    await cutVersion(api(server.url, cookies.secretariat), DOC);
    await signVersion(api(server.url, cookies.vnHead), DOC, 1);
    await signVersion(api(server.url, cookies.frHead), DOC, 1);
    await server.close();
    backup = copyOf(history);
    server = await startTestServer({ dataDir: history.dataDir, env: { ACCORD_KEY_FILE: history.keyFile } });
    cookies = await signInAll(server);
    await cutVersion(api(server.url, cookies.secretariat), DOC);
    await signVersion(api(server.url, cookies.vnHead), DOC, 2);
    await cutVersion(api(server.url, cookies.secretariat), DOC);
    for (const [name, query] of [['v1.pdf', 'format=pdf&version=1'], ['v2.docx', 'format=docx&version=2'], ['v3.json', 'format=json&version=3']] as const) {
      const res = await fetch(`${server.url}/api/documents/${DOC}/export?${query}`, { headers: { cookie: cookies.observer } });
      exports[name] = path.join(root, name);
      fs.writeFileSync(exports[name]!, Buffer.from(await res.arrayBuffer()));
    }
    const report = (await api(server.url, cookies.observer)(`/api/documents/${DOC}/verify`)).body;
    expect(report.ok, JSON.stringify(report)).toBe(true);
    expect(report.chain).toMatchObject({ ok: true, entries: 6, problems: [] });
    await server.close();
    // The key is not in DATA_DIR; the chain heads are kept beside it.
    expect(fs.readdirSync(history.dataDir)).not.toContain('server-ed25519.pem');
    expect(fs.readdirSync(history.keyDir).sort()).toEqual(['server-ed25519.chain-heads.json', 'server-ed25519.pem']);
  }, 120_000);

  /** Verifies a copy through the API (a server started on it) and the command line; `then` runs on the server before it stops. */
  async function verifyEverywhere(place: Place, then?: (call: ReturnType<typeof api>) => Promise<void>) {
    const server = await startTestServer({ dataDir: place.dataDir, env: { ACCORD_KEY_FILE: place.keyFile } });
    let report;
    try {
      const secretariat = api(server.url, await signInAs(server, DEMO.secretariat));
      report = (await secretariat(`/api/documents/${DOC}/verify`)).body;
      await then?.(secretariat);
    } finally {
      await server.close();
    }
    const cli = await accord(envOf(place), ['verify', '--document', DOC]);
    return { report, cli };
  }

  it('deleting one head’s signature of a signed-off version is named: the entry is missing, the next does not follow (attack)', async () => {
    const place = copyOf(history);
    tamper(place.dataDir, (db) => db.prepare("DELETE FROM signatures WHERE document_id = ? AND version = 1 AND party_id = 'vn'").run(DOC));
    const { report, cli } = await verifyEverywhere(place);
    expect(report.ok).toBe(false);
    expect(report.chain.problems).toContain('entry 2 of the chain is missing (deleted)');
    expect(report.versions[0].problems).toContain('the signature of party "fr" does not follow the entry before it in the chain (an earlier version or signature was deleted, altered or moved)');
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain('chain: 5 entries, head 6');
    expect(cli.stdout).toContain('TAMPERED — entry 2 of the chain is missing (deleted)');
    expect(cli.stdout).toContain('VERIFICATION FAILED.');
    // An export made before the deletion names the signature it shows and the store no longer holds.
    const against = await accord(envOf(place), ['verify', '--document', DOC, '--against', exports['v1.pdf']!]);
    expect(against.code).toBe(1);
    expect(against.stdout).toContain('MISMATCH: the signature of party "vn" this file shows is no longer in the store (deleted)');
  });

  it('deleting the latest versions with their signatures is named: the chain is shorter than its signed head, and new entries are refused (attack)', async () => {
    const place = copyOf(history);
    tamper(place.dataDir, (db) => {
      db.prepare('DELETE FROM signatures WHERE document_id = ? AND version >= 2').run(DOC);
      db.prepare('DELETE FROM versions WHERE document_id = ? AND number >= 2').run(DOC);
    });
    const { report, cli } = await verifyEverywhere(place, async (secretariat) => {
      const cut = await secretariat(`/api/documents/${DOC}/versions`, { method: 'POST', json: { allowDuplicate: true } });
      expect(cut.status).toBe(409);
      expect(cut.body.error.code).toBe(ErrorCode.ChainBroken);
    });
    expect(report.ok).toBe(false);
    expect(report.versions.map((v: { number: number; ok: boolean }) => [v.number, v.ok])).toEqual([[1, true]]);
    expect(report.chain.problems).toEqual([
      'the chain was cut: its signed head says 6 entries, the store holds 3 (the last versions or signatures were deleted)',
      'the chain was cut or rolled back: the head kept beside the key says 6 entries, the store holds 3',
    ]);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain('the chain was cut: its signed head says 6 entries, the store holds 3');
  });

  it('deleting the latest versions and putting back the chain head of a backup is named by the head kept beside the key (attack)', async () => {
    const place = copyOf(history);
    const old = new Database(path.join(backup.dataDir, 'accord.sqlite'), { readonly: true });
    const oldHead = old.prepare('SELECT * FROM chain_heads WHERE document_id = ?').get(DOC) as { seq: number; link: string; attested_at: string; signature: string };
    old.close();
    expect(oldHead.seq).toBe(3);
    tamper(place.dataDir, (db) => {
      db.prepare('DELETE FROM signatures WHERE document_id = ? AND version >= 2').run(DOC);
      db.prepare('DELETE FROM versions WHERE document_id = ? AND number >= 2').run(DOC);
      db.prepare('UPDATE chain_heads SET seq = ?, link = ?, attested_at = ?, signature = ? WHERE document_id = ?').run(oldHead.seq, oldHead.link, oldHead.attested_at, oldHead.signature, DOC);
    });
    const { report, cli } = await verifyEverywhere(place);
    expect(report.ok).toBe(false);
    expect(report.chain.problems).toEqual(['the chain was cut or rolled back: the head kept beside the key says 6 entries, the store holds 3']);
    expect(cli.code).toBe(1);
  });

  it('rolling the whole database and the heads back to a backup passes the store’s own check, and is named by an export made since (attack)', async () => {
    // The limit of any check inside the store: a consistent earlier state is a consistent state. An export is held outside it.
    const place = copyOf(backup);
    const { report, cli } = await verifyEverywhere(place);
    expect(report.ok).toBe(true);
    expect(cli.code).toBe(0);
    for (const name of ['v1.pdf', 'v2.docx', 'v3.json']) {
      const against = await accord(envOf(place), ['verify', '--against', exports[name]!]);
      expect(against.code, name).toBe(1);
      expect(against.stdout, name).toContain("MISMATCH: the store's chain no longer reaches entry 6, the chain head this file was exported at: the store was cut back or rolled back since");
      expect(against.stdout).toContain('THE FILE DOES NOT MATCH THE STORE.');
    }
  });

  it('rewriting an unsigned version and hashing it again is named: its seal no longer verifies, the chain head names another entry (attack)', async () => {
    const place = copyOf(history);
    tamper(place.dataDir, (db) => {
      const row = db.prepare('SELECT content FROM versions WHERE document_id = ? AND number = 3').get(DOC) as { content: string };
      const content = parseVersionContent(row.content);
      expect(content.format).toBe('accord-version-v3');
      content.pairs[1]!.fr = replaced(content.pairs[1]!.fr, 'françaises', 'allemandes');
      const rewritten = serializeVersion(content);
      db.prepare('UPDATE versions SET content = ?, hash = ? WHERE document_id = ? AND number = 3').run(rewritten, versionHash(rewritten), DOC);
    });
    const { report, cli } = await verifyEverywhere(place);
    expect(report.ok).toBe(false);
    expect(report.versions[2].problems).toEqual(['its seal by the server key does not verify (its text, hash, parties or place in the chain were rewritten)']);
    expect(report.chain.problems).toEqual(['its last entry is not the one its signed head names (rewritten)', 'the chain was rewritten: its entry 6 is not the one the head kept beside the key names']);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain('version 3: TAMPERED — its seal by the server key does not verify');
    // The JSON export of version 3 made before holds the text signed-for hash: the store's differs.
    const against = await accord(envOf(place), ['verify', '--against', exports['v3.json']!]);
    expect(against.stdout).toContain("MISMATCH: the store's version 3 is not the one this file shows");
  });

  // Two formats had no seal (v1 plain text, v2 runs: both cut before the chain of record): neither passes a rewritten version off.
  it.each([
    ['accord-version-v1', (cell: CanonicalCell) => plainCell(cellText(cell).replace('françaises', 'allemandes'))],
    ['accord-version-v2', (cell: CanonicalCell) => replaced(cell, 'françaises', 'allemandes')],
  ] as const)('passing a rewritten version off as one from before seals (no seal, the old format %s) is named (attack)', async (format, rewrite) => {
    const place = copyOf(history);
    tamper(place.dataDir, (db) => {
      const row = db.prepare('SELECT content FROM versions WHERE document_id = ? AND number = 3').get(DOC) as { content: string };
      const { parties: _dropped, ...rest } = parseVersionContent(row.content) as ReturnType<typeof parseVersionContent> & { parties?: unknown };
      const old = serializeVersion({ ...rest, format, pairs: rest.pairs.map((p) => ({ ...p, fr: rewrite(p.fr) })) });
      expect(old).toContain('allemandes');
      db.prepare('UPDATE versions SET content = ?, hash = ?, seal = NULL WHERE document_id = ? AND number = 3').run(old, versionHash(old), DOC);
    });
    const { report, cli } = await verifyEverywhere(place);
    expect(report.versions[2].problems).toEqual(['it carries no seal by the server key (added or rewritten outside Accord)']);
    expect(report.chain.problems).toContain('its last entry is not the one its signed head names (rewritten)');
    expect(cli.code).toBe(1);
  });

  it('swapping the numbers of two versions is named (attack)', async () => {
    const place = copyOf(history);
    tamper(place.dataDir, (db) => {
      for (const [from, to] of [[2, -2], [3, 2], [-2, 3]]) db.prepare('UPDATE versions SET number = ? WHERE document_id = ? AND number = ?').run(to, DOC, from);
    });
    const { report, cli } = await verifyEverywhere(place);
    expect(report.ok).toBe(false);
    const problems = report.versions.flatMap((v: { problems: string[] }) => v.problems);
    expect(problems).toContain('its number or document does not match its record');
    expect(problems).toContain('it is out of order: the chain has it where version 2 belongs');
    expect(problems).toContain('the signature of party "vn" names a version that does not come before it in the chain');
    expect(cli.code).toBe(1);
  });

  it('moving a signature to another version is named: it is not the signature of that version (attack)', async () => {
    // Version 1's French signature made to look like version 2's, which the French head never signed.
    const place = copyOf(history);
    tamper(place.dataDir, (db) => db.prepare("UPDATE signatures SET version = 2 WHERE document_id = ? AND version = 1 AND party_id = 'fr'").run(DOC));
    const { report, cli } = await verifyEverywhere(place);
    expect(report.ok).toBe(false);
    expect(report.versions[1].problems).toEqual([
      'the signature of party "fr" names a version that does not come before it in the chain',
      'it does not follow the entry before it in the chain (an earlier version or signature was deleted, altered or moved)',
    ]);
    expect(cli.stdout).toContain('version 2: TAMPERED — the signature of party "fr" names a version that does not come before it in the chain');
    expect(cli.code).toBe(1);
  });

  it('moving a signature to a version cut before it is named: it does not verify there (attack)', async () => {
    // Version 2's Vietnamese signature made to look like version 1's, after deleting version 1's own.
    const place = copyOf(history);
    tamper(place.dataDir, (db) => {
      db.prepare("DELETE FROM signatures WHERE document_id = ? AND version = 1 AND party_id = 'vn'").run(DOC);
      db.prepare("UPDATE signatures SET version = 1 WHERE document_id = ? AND version = 2 AND party_id = 'vn'").run(DOC);
    });
    const { report, cli } = await verifyEverywhere(place);
    expect(report.versions[0].problems).toContain('the signature of party "vn" does not verify');
    expect(report.chain.problems).toContain('entry 2 of the chain is missing (deleted)');
    expect(cli.code).toBe(1);
  });

  it('adding a signature row of a party that did not sign is named (attack)', async () => {
    const place = copyOf(history);
    tamper(place.dataDir, (db) => {
      const head = db.prepare('SELECT link FROM chain_heads WHERE document_id = ?').get(DOC) as { link: string };
      db.prepare(
        `INSERT INTO signatures (document_id, version, party_id, account_id, signer_name, signed_at, format, seq, prev_link, signature)
         SELECT ?, 3, 'fr', account_id, signer_name, ?, 'v2', 7, ?, signature FROM signatures WHERE document_id = ? AND version = 1 AND party_id = 'fr'`,
      ).run(DOC, new Date().toISOString(), head.link, DOC);
    });
    const { report, cli } = await verifyEverywhere(place);
    expect(report.versions[2].problems).toEqual(['the signature of party "fr" does not verify']);
    expect(report.chain.problems).toContain('entries after its signed head (6) were added outside Accord');
    expect(cli.code).toBe(1);
  });

  it('changing the parties a version was cut for, or the name a signature shows, is named (attack)', async () => {
    const place = copyOf(history);
    // Version 2 made to need only the party that signed it (it would read as signed off), and a head renamed.
    tamper(place.dataDir, (db) => {
      db.prepare("UPDATE versions SET required_parties = json_array(json_extract(required_parties, '$[0]')) WHERE document_id = ? AND number = 2").run(DOC);
      db.prepare("UPDATE signatures SET signer_name = 'Nguyễn Văn Giả' WHERE document_id = ? AND version = 1 AND party_id = 'vn'").run(DOC);
    });
    const { report, cli } = await verifyEverywhere(place);
    expect(report.versions[1].problems).toContain('the parties recorded for it differ from those it was cut for');
    expect(report.versions[1].problems).toContain('its seal by the server key does not verify (its text, hash, parties or place in the chain were rewritten)');
    expect(report.versions[0].problems).toContain('the signature of party "vn" does not verify');
    expect(cli.code).toBe(1);
  });

  it('deleting the chain head is named, and the server neither attests a new one nor appends (attack)', async () => {
    const place = copyOf(history);
    tamper(place.dataDir, (db) => db.prepare('DELETE FROM chain_heads WHERE document_id = ?').run(DOC));
    const { report, cli } = await verifyEverywhere(place, async (secretariat) => {
      const cut = await secretariat(`/api/documents/${DOC}/versions`, { method: 'POST', json: { allowDuplicate: true } });
      expect(cut.body.error?.code).toBe(ErrorCode.ChainBroken);
    });
    expect(report.chain.problems).toEqual(['it has no signed chain head (the head was deleted, or the server has not started since the upgrade that brought chain heads)']);
    expect(cli.code).toBe(1);
  });

  it('checks an export against the store: a PDF, a DOCX and a JSON export of the history match it', async () => {
    const place = copyOf(history);
    for (const name of ['v1.pdf', 'v2.docx', 'v3.json']) {
      const against = await accord(envOf(place), ['verify', '--against', exports[name]!]);
      expect(against.code, `${name}: ${against.stdout}${against.stderr}`).toBe(0);
      expect(against.stdout).toContain("OK: its chain head (entry 6, signed by the server key) is in the store's chain");
      expect(against.stdout).toContain('The file matches the store.');
    }
    const pdf = await accord(envOf(place), ['verify', '--against', exports['v1.pdf']!]);
    expect(pdf.stdout).toContain('(PDF): an export of version 1 of vn-fr-2023');
    expect(pdf.stdout).toContain('OK: the signatures it shows are in the store: vn, fr');
  });

  it('names a JSON export whose text was edited, and a file that is not an Accord export (attack)', async () => {
    const place = copyOf(history);
    const json = JSON.parse(fs.readFileSync(exports['v3.json']!, 'utf8'));
    json.version.content = json.version.content.replace('françaises', 'allemandes');
    const edited = path.join(place.dataDir, 'edited.json');
    fs.writeFileSync(edited, JSON.stringify(json));
    const against = await accord(envOf(place), ['verify', '--against', edited]);
    expect(against.code).toBe(1);
    expect(against.stdout).toContain('MISMATCH: the file: its version text does not match the hash it carries (the file was edited)');
    expect(against.stdout).toContain("MISMATCH: the store's text of version 3 differs from the file's");

    // A PDF whose Accord metadata was stripped (the entry renamed, same length), and a JSON that is not an export.
    const stripped = path.join(place.dataDir, 'stripped.pdf');
    fs.writeFileSync(stripped, Buffer.from(fs.readFileSync(exports['v1.pdf']!).toString('latin1').replace('/AccordAttestation', '/XccordAttestation'), 'latin1'));
    const foreign = path.join(place.dataDir, 'foreign.json');
    fs.writeFileSync(foreign, '{"hello": "world"}');
    for (const [file, message] of [
      [stripped, 'this PDF carries no Accord attestation (not an Accord export, or its metadata was stripped)'],
      [foreign, 'this JSON is not an Accord export (format)'],
    ]) {
      const result = await accord(envOf(place), ['verify', '--document', DOC, '--against', file!]);
      expect(result.code, file).toBe(1);
      expect(result.stdout).toContain(`MISMATCH: ${message}`);
    }
  });
});
