import { z } from 'zod';
import { ID_PATTERN } from '../../shared/limits.ts';
import { LOCALES } from '../../shared/i18n.ts';
import { ROLES } from '../../shared/roles.ts';
import { TOKEN_PATTERN } from '../auth/tokens.ts';

/** Request schemas of the REST API, one per input shape. */
export const Id = z.string().regex(ID_PATTERN, 'ids are 1–64 letters, digits, "-" or "_"');
const Name = z.string().trim().min(1, 'must not be empty').max(120, 'at most 120 characters');
const Title = z.string().trim().min(1, 'must not be empty').max(500, 'at most 500 characters');

export const DocumentParams = z.object({ documentId: Id });
export const PairParams = z.object({ documentId: Id, pairId: Id });
export const MemberParams = z.object({ documentId: Id, accountId: Id });
export const PartyParams = z.object({ documentId: Id, partyId: Id });

export const Bilingual = z.object({ vi: Title, fr: Title });

export const CreateDocumentBody = z.object({
  id: Id,
  title: Bilingual,
  parties: z.array(z.object({ id: Id, name: z.object({ vi: Name, fr: Name }) })).max(50).default([]),
  observersMayComment: z.boolean().default(false),
});

export const AddPartyBody = z.object({ id: Id, name: z.object({ vi: Name, fr: Name }) });

export const InviteBody = z.object({
  name: Name,
  email: z.email('must be an email address').max(254).nullable().default(null),
  role: z.enum(ROLES),
  partyId: Id.nullable().default(null),
});

export const UpdateMeBody = z.object({ locale: z.enum(LOCALES).nullable() });

/** A sign-in link's token (43 URL-safe characters: tokens.ts). */
export const SignInParams = z.object({ token: z.string().regex(TOKEN_PATTERN) });
