import { Router } from 'express';
import { z } from 'zod';
import { progressOf } from '../../shared/approvals.ts';
import { limits } from '../../shared/limits.ts';
import { diffVersions } from '../../shared/diff.ts';
import type { ApprovalService } from '../approvals/service.ts';
import type { HistoryService } from '../history/service.ts';
import type { StructureApprovalService } from '../approvals/structureService.ts';
import { authorize } from '../policies/access.ts';
import type { ServerKey } from '../versions/serverKey.ts';
import { VersionService } from '../versions/service.ts';
import type { Store } from '../store/types.ts';
import { parse } from './context.ts';
import { DocumentParams, Id, PairParams } from './schemas.ts';

const ApprovalBody = z
  .strictObject({
    status: z.enum(['agreed', 'reserved']),
    reason: z.string().trim().max(2000).nullable().default(null),
    hash: z.string().regex(/^[0-9a-f]{64}$/, 'the SHA-256 (hex) of the text you approve'),
  })
  .refine((b) => b.status !== 'reserved' || (b.reason !== null && b.reason.length > 0), {
    message: 'a reservation needs a reason',
    path: ['reason'],
  });
const StructureApprovalBody = z.strictObject({
  status: z.literal('agreed'),
  hash: z.string().regex(/^[0-9a-f]{64}$/, 'the SHA-256 (hex) of the structure you agree (shared/agreedStructure.ts)'),
});
const StructureChangesParams = DocumentParams.extend({ partyId: Id });
const VersionParams = DocumentParams.extend({ number: z.coerce.number().int().positive() });
const ChangesParams = PairParams.extend({ partyId: Id });
/** Whether a text holds a control character (a line break allowed where `lines`). */
const hasControl = (s: string, lines: boolean): boolean =>
  [...s].some((c) => {
    const code = c.codePointAt(0)!;
    return (code < 0x20 || (code >= 0x7f && code < 0xa0)) && !(lines && c === '\n');
  });
/** A label's text: NFC, trimmed, bounded, no control characters (but line breaks in a note). */
const labelText = (max: number, what: string, lines: boolean) =>
  z
    .string()
    .transform((s) => s.normalize('NFC').replace(/\r\n?/gu, '\n').trim())
    .pipe(
      z
        .string()
        .max(max, `${what} is at most ${max} characters`)
        .refine((s) => !hasControl(s, lines), `${what} holds control characters`),
    );
const CutBody = z.strictObject({
  name: labelText(limits.maxVersionNameLength, 'a version name', false)
    .pipe(z.string().min(1, 'a version name is not blank'))
    .nullable()
    .default(null),
  note: labelText(limits.maxVersionNoteLength, 'a version note', true)
    .transform((s) => s || null)
    .nullable()
    .default(null),
  allowDuplicate: z.boolean().default(false),
});
const DiffQuery = z.object({
  from: z.coerce.number().int().positive(),
  to: z.union([z.literal('draft'), z.coerce.number().int().positive()]).default('draft'),
});

/** Approvals, the status matrix, versions, signatures, diffs and verification. */
export function agreementRouter(
  store: Store,
  approvals: ApprovalService,
  structure: StructureApprovalService,
  versions: VersionService,
  key: ServerKey,
  history?: Pick<HistoryService, 'editorsSince'>,
): Router {
  const router = Router();

  router.get('/server-key', (_req, res) => {
    res.json({ algorithm: 'Ed25519', publicKeyPem: key.publicKeyPem, fingerprint: key.fingerprint });
  });

  router.get('/documents/:documentId/approvals', async (req, res) => {
    const { documentId } = parse(DocumentParams, req.params);
    const access = await authorize(store, req.account, documentId, 'read');
    const pairs = await approvals.matrix(documentId);
    const shape = await structure.row(documentId);
    res.json({ pairs, structure: shape, progress: progressOf(pairs, access.document.parties.map((p) => p.id), shape) });
  });

  // The structure (order and kinds of the pairs): one approval per party, as for a pair.
  router.put('/documents/:documentId/structure/approval', async (req, res) => {
    const { documentId } = parse(DocumentParams, req.params);
    const access = await authorize(store, req.account, documentId, 'approve');
    const body = parse(StructureApprovalBody, req.body);
    res.json({ approvals: await structure.approve(access, body) });
  });

  router.delete('/documents/:documentId/structure/approval', async (req, res) => {
    const { documentId } = parse(DocumentParams, req.params);
    const access = await authorize(store, req.account, documentId, 'approve');
    res.json({ approvals: await structure.withdraw(access) });
  });

  router.get('/documents/:documentId/structure/approval/:partyId/changes', async (req, res) => {
    const { documentId, partyId } = parse(StructureChangesParams, req.params);
    await authorize(store, req.account, documentId, 'read');
    res.json(await structure.changesSince(documentId, partyId));
  });

  router.put('/documents/:documentId/pairs/:pairId/approval', async (req, res) => {
    const { documentId, pairId } = parse(PairParams, req.params);
    const access = await authorize(store, req.account, documentId, 'approve');
    const body = parse(ApprovalBody, req.body);
    res.json({ pairId, approvals: await approvals.approve(access, pairId, body) });
  });

  router.delete('/documents/:documentId/pairs/:pairId/approval', async (req, res) => {
    const { documentId, pairId } = parse(PairParams, req.params);
    const access = await authorize(store, req.account, documentId, 'approve');
    res.json({ pairId, approvals: await approvals.withdraw(access, pairId) });
  });

  router.get('/documents/:documentId/pairs/:pairId/approval/:partyId/changes', async (req, res) => {
    const { documentId, pairId, partyId } = parse(ChangesParams, req.params);
    await authorize(store, req.account, documentId, 'read');
    const changes = await approvals.changesSince(documentId, pairId, partyId);
    // Who typed in the pair since the approval (its history, server/history/).
    const editors = history ? await history.editorsSince(documentId, pairId, changes.approved.at) : [];
    res.json({ ...changes, editors });
  });

  router.get('/documents/:documentId/versions', async (req, res) => {
    const { documentId } = parse(DocumentParams, req.params);
    await authorize(store, req.account, documentId, 'read');
    res.json({ versions: await versions.list(documentId) });
  });

  router.post('/documents/:documentId/versions', async (req, res) => {
    const { documentId } = parse(DocumentParams, req.params);
    const access = await authorize(store, req.account, documentId, 'cut_versions');
    const version = await versions.cut(access, parse(CutBody, req.body ?? {}));
    res.status(201).json({ version: (await versions.list(documentId)).find((v) => v.number === version.number) });
  });

  router.get('/documents/:documentId/versions/:number', async (req, res) => {
    const { documentId, number } = parse(VersionParams, req.params);
    await authorize(store, req.account, documentId, 'read');
    const version = await versions.get(documentId, number);
    res.json({ version: { ...VersionService.parse(version), hash: version.hash } });
  });

  // What keeps a version from being signed, shown before a head tries (the signature is still checked on POST).
  router.get('/documents/:documentId/versions/:number/readiness', async (req, res) => {
    const { documentId, number } = parse(VersionParams, req.params);
    await authorize(store, req.account, documentId, 'read');
    res.json(await versions.readiness(documentId, number));
  });

  // The secretariat puts a version's text back into the draft: a new edit, through the room (server/versions/service.ts).
  router.post('/documents/:documentId/versions/:number/restore', async (req, res) => {
    const { documentId, number } = parse(VersionParams, req.params);
    const access = await authorize(store, req.account, documentId, 'restore_versions');
    parse(z.strictObject({}), req.body ?? {});
    res.json({ version: number, restored: await versions.restore(access, number) });
  });

  router.post('/documents/:documentId/versions/:number/signatures', async (req, res) => {
    const { documentId, number } = parse(VersionParams, req.params);
    const access = await authorize(store, req.account, documentId, 'sign');
    const signature = await versions.sign(access, number);
    res.status(201).json({ signature, version: (await versions.list(documentId)).find((v) => v.number === number) });
  });

  router.get('/documents/:documentId/diff', async (req, res) => {
    const { documentId } = parse(DocumentParams, req.params);
    const { from, to } = parse(DiffQuery, req.query);
    await authorize(store, req.account, documentId, 'read');
    const changes = diffVersions(await versions.pairsOf(documentId, from), await versions.pairsOf(documentId, to));
    res.json({ from, to, changes });
  });

  router.get('/documents/:documentId/verify', async (req, res) => {
    const { documentId } = parse(DocumentParams, req.params);
    await authorize(store, req.account, documentId, 'read');
    res.json(await versions.verify(documentId));
  });

  return router;
}
