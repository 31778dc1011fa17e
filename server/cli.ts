import { parseArgs } from 'node:util';
import { isRole } from '../shared/roles.ts';
import { createDocument, addParty } from './commands/documents.ts';
import { ensureAccount, inviteMember, issueSignInToken, revokeMember, signInUrl } from './commands/members.ts';
import { loadConfig } from './config.ts';
import { HttpError } from './errors.ts';
import { parse } from './routes/context.ts';
import { InviteBody } from './routes/schemas.ts';
import { SqliteStore } from './store/sqliteStore.ts';
import { loadServerKey } from './versions/serverKey.ts';
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
  invite --document ID --name NAME [--email E] --role secretariat|head|drafter|observer [--party PARTY]
  revoke --document ID --account ACCOUNT_ID
  link --email E                         a fresh single-use sign-in link
  secretariat --name NAME --email E      create a global secretariat account and print its link
  verify --document ID                   check the version chain and every signature (exit 1 on tampering)
  export --document ID [--version N] [--format pdf|docx] [--layout parallel|vi|fr|sequential] --out FILE
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

async function run(store: Store, command: string | undefined, options: Options, baseUrl: string, dataDir: string): Promise<string> {
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
      });
      return `${doc.id} now has parties: ${doc.parties.map((p) => p.id).join(', ')}.`;
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
      const { account, token } = await inviteMember(store, { documentId: required(options, 'document'), ...invite });
      return `Invited ${account.name} (${account.id}) as ${role}.\nSign-in link (single use, 7 days): ${signInUrl(baseUrl, token)}`;
    }
    case 'revoke': {
      await revokeMember(store, required(options, 'document'), required(options, 'account'));
      return 'Revoked.';
    }
    case 'link': {
      const account = await store.findAccountByEmail(required(options, 'email'));
      if (!account) throw new UsageError(`No account with email ${String(options.email)}.`);
      return signInUrl(baseUrl, await issueSignInToken(store, account.id));
    }
    case 'secretariat': {
      const account = await ensureAccount(store, { name: required(options, 'name'), email: required(options, 'email'), isSecretariat: true });
      return `Secretariat account ${account.id}.\nSign-in link: ${signInUrl(baseUrl, await issueSignInToken(store, account.id))}`;
    }
    case 'verify': {
      const documentId = required(options, 'document');
      if (!(await store.getDocument(documentId))) throw new UsageError(`No declaration with id "${documentId}".`);
      const report = await verifyChain(store, loadServerKey(dataDir), documentId);
      const lines = [`Server key fingerprint ${report.keyFingerprint}`];
      if (report.versions.length === 0) lines.push('No versions yet.');
      for (const v of report.versions) lines.push(`version ${v.number}: ${v.ok ? 'OK' : `TAMPERED — ${v.problems.join('; ')}`}`);
      lines.push(report.ok ? 'The chain and every signature verify.' : 'VERIFICATION FAILED.');
      if (!report.ok) process.exitCode = 1;
      return lines.join('\n');
    }
    case 'export': {
      const documentId = required(options, 'document');
      const document = await store.getDocument(documentId);
      if (!document) throw new UsageError(`No declaration with id "${documentId}".`);
      const format = (options.format as string | undefined) ?? 'pdf';
      const layout = (options.layout as string | undefined) ?? 'parallel';
      if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format "${format}": use pdf or docx.`);
      if (!(LAYOUTS as readonly string[]).includes(layout)) throw new UsageError(`--layout "${layout}": use parallel, vi, fr or sequential.`);
      const version = typeof options.version === 'string' ? Number(options.version) : 'draft';
      if (version !== 'draft' && !(Number.isInteger(version) && version > 0)) throw new UsageError(`--version "${String(options.version)}": a version number.`);
      const out = required(options, 'out');
      // Without a running server the text comes from the stored update log.
      const sync = new SyncServer(store, { authenticate: async () => { throw new Error('no connections from the CLI'); } }, createLogger('silent'));
      try {
        const model = await buildExportModel(store, new VersionService(store, sync, loadServerKey(dataDir)), document, version);
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
    },
  });
  const config = loadConfig();
  const baseUrl = values['base-url'] ?? `http://${config.host}:${config.port}`;
  const options: Options = { ...values, party: positionals[0] === 'invite' ? values.party?.[0] : values.party };
  const store = new SqliteStore(config.dataDir);
  try {
    console.log(await run(store, positionals[0], options, baseUrl, config.dataDir));
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
