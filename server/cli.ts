import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { isRole } from '../shared/roles.ts';
import { createDocument, addParty, removeParty } from './commands/documents.ts';
import { ensureAccount, INVITE_TTL_MS, inviteMember, issueSignInToken, OPERATOR, revokeMember, signInUrl } from './commands/members.ts';
import { formatAudit } from './commands/auditText.ts';
import { loadConfig, type Config } from './config.ts';
import { HttpError } from './errors.ts';
import { parse } from './routes/context.ts';
import { InviteBody } from './routes/schemas.ts';
import { SqliteStore } from './store/sqliteStore.ts';
import { ChainHeadFile } from './versions/chainHeadFile.ts';
import { loadServerKey, openServerKey, storeHasVersions } from './versions/serverKey.ts';
import { checkExport } from './versions/verifyExport.ts';
import fs from 'node:fs';
import { SyncServer } from './collaboration/syncServer.ts';
import { examineDocuments, formatExamination } from './collaboration/structure/doctor.ts';
import { buildExportModel, LAYOUTS, type Layout } from './export/model.ts';
import { FORMATS, type Format } from './export/formats.ts';
import { renderExport } from './export/render.ts';
import { createLogger } from './logger.ts';
import { VersionService, verifyChain } from './versions/service.ts';
import type { Store } from './store/types.ts';

/**
 * The secretariat's command line: `npm run accord -- <command> [options]`.
 * It works on the store in DATA_DIR directly (the server may be running:
 * SQLite serialises the writes).
 */

const USAGE = `Usage: npm run accord -- <command> [options]

Commands:
  list                                   documents, parties and members
  create-document --id ID --title-vi T --title-fr T [--party ID:vi name:fr name]...
  add-party --document ID --id PARTY --name-vi N --name-fr N
  remove-party --document ID --party PARTY [--yes]
                                         remove a party nothing refers to (no signature, approval or internal
                                         comment), with its members; asks first unless --yes
  invite --document ID --name NAME [--email E] --role secretariat|head|drafter|observer [--party PARTY]
  revoke --document ID --account ACCOUNT_ID
  link --email E                         a fresh single-use sign-in link
  audit --document ID                    the membership log: every invitation, role change, revocation, party
                                         added or removed and sign-in link issued, who by and when, newest first
  secretariat --name NAME --email E      create a global secretariat account and print its link
  sign-out-everywhere --email E          end every session of the account and void its unused sign-in links
                                         (a running server closes their live connections within seconds)
  verify --document ID [--against FILE]  check the chain of versions and signatures, its signed heads (exit 1 on
                                         tampering); with --against, also an export (PDF, DOCX or JSON) against the store
  export --document ID [--version N] [--format pdf|docx|json] [--layout parallel|vi|fr|sequential] --out FILE
  doctor [--document ID]                 list stored text outside the declaration's structure (exit 1 when found)

Options:
  --base-url URL   the address people use to reach the server (default http://HOST:PORT from the environment)
`;

type Options = Record<string, string | string[] | boolean | undefined>;

function required(options: Options, name: string): string {
  const value = options[name];
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`Missing --${name}.`);
  return value;
}

class UsageError extends Error {}

/** Asks on the terminal; anything but yes (or no answer: stdin closed) is no. */
async function confirm(question: string): Promise<boolean> {
  const prompt = readline.createInterface({ input: process.stdin, output: process.stderr });
  const answer = await new Promise<string>((resolve) => {
    prompt.once('close', () => resolve(''));
    prompt.question(question, resolve);
  });
  prompt.close();
  return /^(y|yes|o|oui|c|có)$/i.test(answer.trim());
}

/** The verifier's report of the store, and of a file against it, as lines; sets exit code 1 on any problem. */
async function verify(store: Store, config: Config, documentId: string | undefined, against: string | undefined): Promise<string> {
  const key = loadServerKey(config.keyFile, { create: false });
  const file = against ? fs.readFileSync(against) : undefined;
  const check = file ? await checkExport(store, key, file, documentId) : undefined;
  const id = documentId ?? check?.attestation?.documentId;
  if (!id) throw new UsageError(check ? `--against ${against}: ${check.problems.join('; ')}` : 'Missing --document.');
  if (!(await store.getDocument(id))) throw new UsageError(`No declaration with id "${id}".`);
  const report = await verifyChain(store, key, id, ChainHeadFile.beside(config.keyFile));
  const lines = [`Server key fingerprint ${report.keyFingerprint}`];
  if (report.versions.length === 0) lines.push('No versions yet.');
  for (const v of report.versions) lines.push(`version ${v.number}: ${v.ok ? 'OK' : `TAMPERED — ${v.problems.join('; ')}`}`);
  const head = report.chain.head ? `, head ${report.chain.head.seq} · ${report.chain.head.link.slice(0, 16)}…` : '';
  lines.push(`chain: ${report.chain.entries} entries${head}: ${report.chain.ok ? 'OK' : `TAMPERED — ${report.chain.problems.join('; ')}`}`);
  for (const note of report.chain.notes) lines.push(`note: ${note}`);
  lines.push(report.ok ? 'The chain and every signature verify.' : 'VERIFICATION FAILED.');
  if (check) {
    const what = check.attestation?.version ? `version ${check.attestation.version.number}` : 'the draft';
    lines.push(`${against} (${check.kind?.toUpperCase() ?? 'unknown'}): ${check.attestation ? `an export of ${what} of ${check.attestation.documentId}` : 'not an Accord export'}`);
    for (const c of check.confirmed) lines.push(`  OK: ${c}`);
    for (const p of check.problems) lines.push(`  MISMATCH: ${p}`);
    lines.push(check.ok ? 'The file matches the store.' : 'THE FILE DOES NOT MATCH THE STORE.');
  }
  if (!report.ok || (check && !check.ok)) process.exitCode = 1;
  return lines.join('\n');
}

async function run(store: Store, command: string | undefined, options: Options, baseUrl: string, config: Config): Promise<string> {
  switch (command) {
    case 'list': {
      const lines: string[] = [];
      for (const doc of await store.listDocuments()) {
        lines.push(`${doc.id}  ${doc.title.vi} / ${doc.title.fr}`);
        for (const p of doc.parties) lines.push(`  party ${p.id}: ${p.name.vi} / ${p.name.fr}`);
        for (const m of await store.listMemberships(doc.id)) {
          const account = await store.getAccount(m.accountId);
          lines.push(`  member ${m.accountId}  ${account?.name} <${account?.email ?? '-'}>  ${m.role}${m.partyId ? ` (${m.partyId})` : ''}`);
        }
      }
      return lines.join('\n') || 'No documents.';
    }
    case 'create-document': {
      const parties = ((options.party as string[] | undefined) ?? []).map((spec) => {
        const [id, vi, fr] = spec.split(':');
        if (!id || !vi || !fr) throw new UsageError(`--party "${spec}": write ID:Vietnamese name:French name.`);
        return { id, name: { vi, fr } };
      });
      const doc = await createDocument(store, {
        id: required(options, 'id'),
        title: { vi: required(options, 'title-vi'), fr: required(options, 'title-fr') },
        parties,
      });
      return `Created ${doc.id} with ${doc.parties.length} parties.`;
    }
    case 'add-party': {
      const doc = await addParty(store, required(options, 'document'), {
        id: required(options, 'id'),
        name: { vi: required(options, 'name-vi'), fr: required(options, 'name-fr') },
      }, OPERATOR);
      return `${doc.id} now has parties: ${doc.parties.map((p) => p.id).join(', ')}.`;
    }
    case 'remove-party': {
      const documentId = required(options, 'document');
      const partyId = required(options, 'party');
      const document = await store.getDocument(documentId);
      if (!document) throw new UsageError(`No declaration with id "${documentId}".`);
      const party = document.parties.find((p) => p.id === partyId);
      if (!party) throw new UsageError(`Declaration "${documentId}" has no party "${partyId}" (parties: ${document.parties.map((p) => p.id).join(', ') || 'none'}).`);
      if (options.yes !== true) {
        const members = [];
        for (const m of (await store.listMemberships(documentId)).filter((x) => x.partyId === partyId)) members.push(`${(await store.getAccount(m.accountId))?.name ?? m.accountId} (${m.role})`);
        const question =
          `Remove party ${partyId} (${party.name.vi} / ${party.name.fr}) from ${documentId}? ` +
          `${members.length ? `Its members lose access: ${members.join(', ')}. ` : ''}Versions already cut keep the parties they were cut for. [y/N] `;
        if (!(await confirm(question))) {
          process.exitCode = 1;
          return 'Nothing removed.';
        }
      }
      const { document: updated, revokedAccountIds } = await removeParty(store, documentId, partyId, OPERATOR);
      const revoked = revokedAccountIds.length ? ` and its ${revokedAccountIds.length} member(s) (${revokedAccountIds.join(', ')})` : '';
      return `Removed party ${partyId}${revoked} from ${documentId}; parties now: ${updated.parties.map((p) => p.id).join(', ') || 'none'}.`;
    }
    case 'invite': {
      const role = required(options, 'role');
      if (!isRole(role)) throw new UsageError(`--role "${role}": use secretariat, head, drafter or observer.`);
      // The same schema as the admin page's requests.
      const invite = parse(InviteBody, {
        name: required(options, 'name'),
        email: typeof options.email === 'string' ? options.email : null,
        role,
        partyId: typeof options.party === 'string' ? options.party : null,
      });
      // The operator may sign anyone in: the invitation always comes with a link.
      const { account, token } = await inviteMember(store, { documentId: required(options, 'document'), ...invite }, OPERATOR);
      return `Invited ${account.name} (${account.id}) as ${role}.\nSign-in link (single use, 7 days): ${signInUrl(baseUrl, token!)}`;
    }
    case 'revoke': {
      await revokeMember(store, required(options, 'document'), required(options, 'account'), OPERATOR);
      return 'Revoked.';
    }
    case 'link': {
      const account = await store.findAccountByEmail(required(options, 'email'));
      if (!account) throw new UsageError(`No account with email ${String(options.email)}.`);
      return signInUrl(baseUrl, await issueSignInToken(store, account.id, INVITE_TTL_MS, OPERATOR));
    }
    case 'sign-out-everywhere': {
      const account = await store.findAccountByEmail(required(options, 'email'));
      if (!account) throw new UsageError(`No account with email ${String(options.email)}.`);
      const { sessionIds, voidedLinks } = await store.endAllSessions(account.id);
      return `Signed ${account.name} out everywhere: ${sessionIds.length} session(s) ended, ${voidedLinks} unused sign-in link(s) voided.`;
    }
    case 'secretariat': {
      const account = await ensureAccount(store, { name: required(options, 'name'), email: required(options, 'email'), isSecretariat: true });
      return `Secretariat account ${account.id}.\nSign-in link: ${signInUrl(baseUrl, await issueSignInToken(store, account.id, INVITE_TTL_MS, OPERATOR))}`;
    }
    case 'audit': {
      const documentId = required(options, 'document');
      if (!(await store.getDocument(documentId))) throw new UsageError(`No declaration with id "${documentId}".`);
      return formatAudit(await store.listAudit(documentId));
    }
    case 'verify':
      return verify(store, config, typeof options.document === 'string' ? options.document : undefined, typeof options.against === 'string' ? options.against : undefined);
    case 'export': {
      const documentId = required(options, 'document');
      const document = await store.getDocument(documentId);
      if (!document) throw new UsageError(`No declaration with id "${documentId}".`);
      const format = (options.format as string | undefined) ?? 'pdf';
      const layout = (options.layout as string | undefined) ?? 'parallel';
      if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format "${format}": use pdf, docx or json.`);
      if (!(LAYOUTS as readonly string[]).includes(layout)) throw new UsageError(`--layout "${layout}": use parallel, vi, fr or sequential.`);
      const version = typeof options.version === 'string' ? Number(options.version) : 'draft';
      if (version !== 'draft' && !(Number.isInteger(version) && version > 0)) throw new UsageError(`--version "${String(options.version)}": a version number.`);
      const out = required(options, 'out');
      // Without a running server the text comes from the stored update log.
      const sync = new SyncServer(store, { authenticate: async () => { throw new Error('no connections from the CLI'); } }, createLogger('silent'));
      try {
        // The same rule as the server's start: a key is made only where none signed anything yet.
        const key = openServerKey(config, !fs.existsSync(config.keyFile) && (await storeHasVersions(store)));
        const versions = new VersionService(store, sync, key, ChainHeadFile.beside(config.keyFile));
        const model = await buildExportModel(store, versions, document, version);
        fs.writeFileSync(out, await renderExport(model, format as Format, layout as Layout));
      } finally {
        await sync.close();
      }
      return `Wrote ${out}.`;
    }
    case 'doctor': {
      const documentId = typeof options.document === 'string' ? options.document : undefined;
      if (documentId !== undefined && !(await store.getDocument(documentId))) throw new UsageError(`No declaration with id "${documentId}".`);
      const examined = await examineDocuments(store, documentId === undefined ? undefined : [documentId]);
      if (examined.some((e) => e.foreign.length > 0)) process.exitCode = 1;
      return formatExamination(examined);
    }
    default:
      throw new UsageError(command ? `Unknown command "${command}".` : 'No command given.');
  }
}

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      id: { type: 'string' },
      'title-vi': { type: 'string' },
      'title-fr': { type: 'string' },
      party: { type: 'string', multiple: true },
      document: { type: 'string' },
      'name-vi': { type: 'string' },
      'name-fr': { type: 'string' },
      name: { type: 'string' },
      email: { type: 'string' },
      role: { type: 'string' },
      account: { type: 'string' },
      'base-url': { type: 'string' },
      format: { type: 'string' },
      layout: { type: 'string' },
      version: { type: 'string' },
      out: { type: 'string' },
      against: { type: 'string' },
      yes: { type: 'boolean' },
    },
  });
  const config = loadConfig();
  const baseUrl = values['base-url'] ?? `http://${config.host}:${config.port}`;
  // --party is repeated for create-document, given once elsewhere.
  const options: Options = { ...values, party: positionals[0] === 'create-document' ? values.party : values.party?.[0] };
  const store = new SqliteStore(config.dataDir);
  try {
    console.log(await run(store, positionals[0], options, baseUrl, config));
    return Number(process.exitCode ?? 0);
  } catch (error) {
    if (error instanceof UsageError) console.error(`${error.message}\n\n${USAGE}`);
    else if (error instanceof HttpError) console.error(error.message);
    else throw error;
    return 2;
  } finally {
    await store.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
