import { createDocument, initialUpdate } from '../commands/documents.ts';
import { ensureAccount, issueSignInToken, signInUrl } from '../commands/members.ts';
import type { Store } from '../store/types.ts';
import { hanoiToulouse } from './hanoiToulouse.ts';
import { jointDeclaration } from './jointDeclaration.ts';
import { demoMembers } from './members.ts';

/** The demo joint declaration's first Yjs update. */
export function buildDemoUpdate(): Uint8Array {
  return initialUpdate(jointDeclaration.pairs);
}

/**
 * Loads the demo into an empty store: the joint declaration, the Hà Nội–Toulouse
 * agreement, and the demo members. Returns true when it did.
 */
export async function seedDemo(store: Store): Promise<boolean> {
  if ((await store.listDocuments()).length > 0) return false;
  for (const doc of [jointDeclaration, hanoiToulouse]) {
    await createDocument(store, { id: doc.id, title: doc.title, parties: doc.parties, pairs: doc.pairs });
  }
  for (const person of demoMembers) {
    const account = await ensureAccount(store, person);
    for (const m of person.memberships) await store.setMembership({ ...m, accountId: account.id });
  }
  return true;
}

/** A fresh single-use sign-in link for every demo member present in the store. */
export async function demoSignInLinks(store: Store, baseUrl: string): Promise<Array<{ name: string; email: string; url: string }>> {
  const links = [];
  for (const person of demoMembers) {
    const account = await store.findAccountByEmail(person.email);
    if (!account) continue;
    links.push({ name: account.name, email: person.email, url: signInUrl(baseUrl, await issueSignInToken(store, account.id)) });
  }
  return links;
}
