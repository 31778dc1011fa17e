import type Database from 'better-sqlite3';
import type { PartySummary } from '../../shared/protocol.ts';
import { chainEntries, entryLink } from '../versions/chain.ts';
import type { StoredSignature, StoredVersion } from './agreementTypes.ts';
import { CLIENT_CLAIMS_TABLE } from './sqliteClaims.ts';
import { MEMBERSHIP_AUDIT_TABLE } from './sqliteMemberships.ts';
import { PAIR_HISTORY_TABLES } from './sqlitePairHistory.ts';

/**
 * The SQLite schema, as numbered migrations: `PRAGMA user_version` says how
 * many ran. A data directory of any earlier release opens and migrates; a
 * change is a new migration at the end, never an edit of one that shipped.
 * A migration is SQL, or a function run in the same transaction.
 */
export type Migration = string | ((db: Database.Database) => void);

/** Migrations 1–5, as they shipped (never edited: data directories in the field ran them). */
const EARLY_MIGRATIONS: string[] = [
  `CREATE TABLE documents (
     id TEXT PRIMARY KEY,
     title_vi TEXT NOT NULL,
     title_fr TEXT NOT NULL,
     created_at TEXT NOT NULL
   );
   CREATE TABLE parties (
     document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
     id TEXT NOT NULL,
     position INTEGER NOT NULL,
     name_vi TEXT NOT NULL,
     name_fr TEXT NOT NULL,
     PRIMARY KEY (document_id, id)
   );
   CREATE TABLE doc_updates (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
     data BLOB NOT NULL
   );
   CREATE INDEX doc_updates_by_document ON doc_updates (document_id, seq);`,
  `ALTER TABLE documents ADD COLUMN observers_may_comment INTEGER NOT NULL DEFAULT 0;
   CREATE TABLE accounts (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     email TEXT UNIQUE,
     locale TEXT,
     is_secretariat INTEGER NOT NULL DEFAULT 0,
     created_at TEXT NOT NULL
   );
   CREATE TABLE memberships (
     document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
     account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
     party_id TEXT,
     role TEXT NOT NULL,
     created_at TEXT NOT NULL,
     PRIMARY KEY (document_id, account_id),
     FOREIGN KEY (document_id, party_id) REFERENCES parties(document_id, id)
   );
   CREATE INDEX memberships_by_account ON memberships (account_id);
   CREATE TABLE invites (
     token_hash TEXT PRIMARY KEY,
     account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
     expires_at TEXT NOT NULL,
     used_at TEXT,
     created_at TEXT NOT NULL
   );
   CREATE TABLE sessions (
     token_hash TEXT PRIMARY KEY,
     account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
     expires_at TEXT NOT NULL,
     created_at TEXT NOT NULL
   );`,
  `CREATE TABLE comment_threads (
     id TEXT PRIMARY KEY,
     document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
     pair_id TEXT NOT NULL,
     lang TEXT NOT NULL,
     anchor_start TEXT NOT NULL,
     anchor_end TEXT NOT NULL,
     quote TEXT NOT NULL,
     visibility TEXT NOT NULL,
     delegation TEXT NOT NULL,
     author_id TEXT NOT NULL REFERENCES accounts(id),
     status TEXT NOT NULL DEFAULT 'open',
     created_at TEXT NOT NULL,
     resolved_at TEXT,
     resolved_by TEXT
   );
   CREATE INDEX comment_threads_by_document ON comment_threads (document_id, created_at);
   CREATE TABLE comments (
     id TEXT PRIMARY KEY,
     thread_id TEXT NOT NULL REFERENCES comment_threads(id) ON DELETE CASCADE,
     author_id TEXT NOT NULL REFERENCES accounts(id),
     body TEXT NOT NULL,
     created_at TEXT NOT NULL,
     edited_at TEXT,
     deleted_at TEXT
   );
   CREATE INDEX comments_by_thread ON comments (thread_id, created_at);`,
  `CREATE TABLE approvals (
     document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
     pair_id TEXT NOT NULL,
     party_id TEXT NOT NULL,
     status TEXT NOT NULL,
     reason TEXT,
     hash TEXT NOT NULL,
     text_vi TEXT NOT NULL,
     text_fr TEXT NOT NULL,
     account_id TEXT NOT NULL REFERENCES accounts(id),
     created_at TEXT NOT NULL,
     PRIMARY KEY (document_id, pair_id, party_id)
   );
   CREATE TABLE versions (
     document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
     number INTEGER NOT NULL,
     created_at TEXT NOT NULL,
     created_by TEXT NOT NULL,
     content TEXT NOT NULL,
     hash TEXT NOT NULL,
     prev_hash TEXT,
     PRIMARY KEY (document_id, number)
   );
   CREATE TABLE signatures (
     document_id TEXT NOT NULL,
     version INTEGER NOT NULL,
     party_id TEXT NOT NULL,
     account_id TEXT NOT NULL REFERENCES accounts(id),
     signed_at TEXT NOT NULL,
     signature TEXT NOT NULL,
     PRIMARY KEY (document_id, version, party_id),
     FOREIGN KEY (document_id, version) REFERENCES versions(document_id, number)
   );`,
  // What a large row holds, read off it once (see RowScan in server/collaboration/ingest/storedRows.ts).
  `ALTER TABLE doc_updates ADD COLUMN scan BLOB;`,
];

/**
 * Migration 6: versions record the parties whose heads must sign them, and
 * versions and signatures become a chain of record (server/versions/chain.ts).
 *
 * Existing versions get their required parties by this rule (the parties of a
 * version were not recorded before; parties were only ever appended, in
 * `position` order, and could not be removed, so those of a cut are the first
 * ones of today's list):
 * - a version nobody signed needs every party of today;
 * - a signed version needs the parties up to the last (by position) of: those
 *   that signed it, and those with anything dated no later than its last
 *   signature (a member joining for it, an approval, a signature). A party
 *   added after the version was signed by every head (the bug this fixes) has
 *   nothing dated that early, so the version is signed off again; a party that
 *   existed then had to approve every pair for the others to sign (and had a
 *   head to do it), so it stays required and nothing becomes signed off that
 *   was not.
 * Signatures get the signer's name as the account has it now. Existing
 * entries are numbered in the order they were made and linked; they have no
 * seal of their own: the server attests their chain head, signed with its
 * key, at its first start after this migration (server/versions/chainStartup.ts).
 */
function recordChains(db: Database.Database): void {
  db.exec(`ALTER TABLE versions ADD COLUMN seq INTEGER;
    ALTER TABLE versions ADD COLUMN prev_link TEXT;
    ALTER TABLE versions ADD COLUMN seal TEXT;
    ALTER TABLE versions ADD COLUMN required_parties TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE signatures ADD COLUMN seq INTEGER;
    ALTER TABLE signatures ADD COLUMN prev_link TEXT;
    ALTER TABLE signatures ADD COLUMN format TEXT NOT NULL DEFAULT 'v1';
    ALTER TABLE signatures ADD COLUMN signer_name TEXT NOT NULL DEFAULT '';
    CREATE UNIQUE INDEX versions_by_seq ON versions (document_id, seq);
    CREATE UNIQUE INDEX signatures_by_seq ON signatures (document_id, seq);
    CREATE TABLE chain_heads (
      document_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
      seq INTEGER NOT NULL,
      link TEXT NOT NULL,
      attested_at TEXT NOT NULL,
      signature TEXT NOT NULL
    );
    UPDATE signatures SET signer_name = COALESCE((SELECT name FROM accounts WHERE accounts.id = signatures.account_id), '');`);
  type PartyRow = { id: string; position: number; name_vi: string; name_fr: string };
  type VersionRow = { number: number; created_at: string; created_by: string; hash: string; prev_hash: string | null };
  type SignatureRow = { version: number; party_id: string; account_id: string; signer_name: string; signed_at: string; signature: string };
  for (const { id: documentId } of db.prepare<[], { id: string }>('SELECT id FROM documents').all()) {
    const parties = db.prepare<[string], PartyRow>('SELECT id, position, name_vi, name_fr FROM parties WHERE document_id = ? ORDER BY position').all(documentId);
    const versionRows = db.prepare<[string], VersionRow>('SELECT number, created_at, created_by, hash, prev_hash FROM versions WHERE document_id = ? ORDER BY number').all(documentId);
    const signatureRows = db.prepare<[string], SignatureRow>('SELECT version, party_id, account_id, signer_name, signed_at, signature FROM signatures WHERE document_id = ?').all(documentId);
    if (versionRows.length === 0) continue;
    const firstTrace = new Map<string, string>();
    const trace = (partyId: string | null, at: string) => {
      if (partyId === null) return;
      const seen = firstTrace.get(partyId);
      if (seen === undefined || at < seen) firstTrace.set(partyId, at);
    };
    for (const r of db.prepare<[string], { party_id: string | null; created_at: string }>('SELECT party_id, created_at FROM memberships WHERE document_id = ?').all(documentId)) trace(r.party_id, r.created_at);
    for (const r of db.prepare<[string], { party_id: string; created_at: string }>('SELECT party_id, created_at FROM approvals WHERE document_id = ?').all(documentId)) trace(r.party_id, r.created_at);
    for (const s of signatureRows) trace(s.party_id, s.signed_at);

    const present = (p: PartyRow): PartySummary => ({ id: p.id, name: { vi: p.name_vi, fr: p.name_fr } });
    const requiredAt = (number: number): PartySummary[] => {
      const signed = signatureRows.filter((s) => s.version === number);
      if (signed.length === 0) return parties.map(present);
      const lastSignature = signed.map((s) => s.signed_at).sort().at(-1)!;
      const signers = new Set(signed.map((s) => s.party_id));
      const existed = parties.filter((p) => signers.has(p.id) || (firstTrace.get(p.id) ?? '\uffff') <= lastSignature);
      const last = Math.max(...existed.map((p) => p.position));
      return parties.filter((p) => p.position <= last).map(present);
    };

    const versions: StoredVersion[] = versionRows.map((r) => ({
      documentId, number: r.number, createdAt: r.created_at, createdBy: r.created_by, content: '', hash: r.hash, prevHash: r.prev_hash,
      seq: null, prevLink: null, seal: null, requiredParties: requiredAt(r.number),
    }));
    const signatures: StoredSignature[] = signatureRows.map((r) => ({
      documentId, version: r.version, partyId: r.party_id, accountId: r.account_id, signerName: r.signer_name, signedAt: r.signed_at,
      format: 'v1', seq: null, prevLink: null, signature: r.signature,
    }));
    // In the order they were made (one server clock); a version before the signatures of the same instant.
    const made = [
      ...versions.map((v) => ({ at: v.createdAt, order: 0, number: v.number, set: (seq: number, prevLink: string | null) => Object.assign(v, { seq, prevLink }) })),
      ...signatures.map((s) => ({ at: s.signedAt, order: 1, number: s.version, set: (seq: number, prevLink: string | null) => Object.assign(s, { seq, prevLink }) })),
    ].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.order - b.order || a.number - b.number));
    made.forEach((entry, i) => entry.set(i + 1, null));
    let prevLink: string | null = null;
    for (const entry of chainEntries(versions, signatures)) {
      entry.prevLink = prevLink;
      if (entry.kind === 'version') entry.version.prevLink = prevLink;
      else entry.signature.prevLink = prevLink;
      prevLink = entryLink(documentId, entry);
    }
    const setVersion = db.prepare('UPDATE versions SET seq = ?, prev_link = ?, required_parties = ? WHERE document_id = ? AND number = ?');
    for (const v of versions) setVersion.run(v.seq, v.prevLink, JSON.stringify(v.requiredParties), documentId, v.number);
    const setSignature = db.prepare('UPDATE signatures SET seq = ?, prev_link = ? WHERE document_id = ? AND version = ? AND party_id = ?');
    for (const s of signatures) setSignature.run(s.seq, s.prevLink, documentId, s.version, s.partyId);
  }
}

const hasColumn = (db: Database.Database, table: string, column: string) =>
  (db.pragma(`table_info(${table})`) as Array<{ name: string }>).some((c) => c.name === column);

/**
 * Migration 7: an approval keeps the runs of the text it approved, bold and
 * italic included (`approvals.content`, JSON; server/store/approvalRows.ts).
 * Rows written before have none and are read as plain text.
 *
 * For a while main had this as its sixth migration (the formatting half of
 * issue 19 landed before the chain half): a data directory of that time is at
 * schema 6 with the column and without the chain, which it gets now.
 */
function recordApprovedRuns(db: Database.Database): void {
  if (!hasColumn(db, 'approvals', 'content')) db.exec('ALTER TABLE approvals ADD COLUMN content TEXT;');
  if (!hasColumn(db, 'versions', 'seq')) recordChains(db);
}

/** The schema version once approvals keep their runs (migration 7): tests of data from before step back to just before it. */
export const SCHEMA_WITH_APPROVED_RUNS = EARLY_MIGRATIONS.length + 2;

/**
 * Migration 9: each party's agreement to the structure of the text — which
 * pairs, in which order, of which kind (shared/agreedStructure.ts; rows:
 * server/store/structureApprovalRows.ts). None before: every document's
 * structure reads as not yet agreed, and its next signature waits for it.
 */
const recordStructureApprovals = `CREATE TABLE structure_approvals (
     document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
     party_id TEXT NOT NULL,
     hash TEXT NOT NULL,
     structure TEXT NOT NULL,
     account_id TEXT NOT NULL REFERENCES accounts(id),
     created_at TEXT NOT NULL,
     PRIMARY KEY (document_id, party_id)
   );`;

/**
 * Migration 11: a version's name and note, and who cut it (their name and
 * delegation as they were then, JSON). Metadata beside the version: not in
 * its content, so its hash, seal and signatures are unchanged. Versions cut
 * before have none.
 */
const recordVersionLabels = `ALTER TABLE versions ADD COLUMN name TEXT;
   ALTER TABLE versions ADD COLUMN note TEXT;
   ALTER TABLE versions ADD COLUMN cut_by TEXT;`;

export const MIGRATIONS: Migration[] = [
  ...EARLY_MIGRATIONS,
  recordChains,
  recordApprovedRuns,
  // Which account each Yjs client id of a document belongs to (server/collaboration/clientIdPolicy.ts).
  CLIENT_CLAIMS_TABLE,
  recordStructureApprovals,
  // Who changed which membership, when (server/store/sqliteMemberships.ts; issue 20).
  MEMBERSHIP_AUDIT_TABLE,
  // Who typed in which pair, and the pairs deleted (server/store/sqlitePairHistory.ts; issue 21).
  PAIR_HISTORY_TABLES,
  recordVersionLabels,
];

/** The schema version once structure approvals exist (migration 9): tests of data from before step back to just before it. */
export const SCHEMA_WITH_STRUCTURE_APPROVALS = MIGRATIONS.indexOf(recordStructureApprovals) + 1;

/** The schema version once the membership audit log exists (migration 10): tests of data from before step back past it. */
export const SCHEMA_WITH_MEMBERSHIP_AUDIT = MIGRATIONS.indexOf(MEMBERSHIP_AUDIT_TABLE) + 1;

/** The schema version once pair histories and deleted pairs are kept (migration 11): tests of data from before step back past it. */
export const SCHEMA_WITH_PAIR_HISTORY = MIGRATIONS.indexOf(PAIR_HISTORY_TABLES) + 1;
/** The schema version once versions keep a name, a note and who cut them (migration 12). */
export const SCHEMA_WITH_VERSION_LABELS = MIGRATIONS.indexOf(recordVersionLabels) + 1;

/** What undoes migration 12, for tests of data from before it. */
export const UNDO_VERSION_LABELS = 'ALTER TABLE versions DROP COLUMN name; ALTER TABLE versions DROP COLUMN note; ALTER TABLE versions DROP COLUMN cut_by;';
