import type { Role } from '../../shared/roles.ts';
import { HANOI_TOULOUSE_ID } from './hanoiToulouse.ts';
import { JOINT_DECLARATION_ID } from './jointDeclaration.ts';

/** A demo person and their role in each demo document. */
export interface DemoMember {
  name: string;
  email: string;
  isSecretariat: boolean;
  memberships: Array<{ documentId: string; role: Role; partyId: string | null }>;
}

const both = (role: Role, vnParty: string | null, frParty: string | null, cityParty: string | null) => [
  { documentId: JOINT_DECLARATION_ID, role, partyId: vnParty ?? frParty },
  { documentId: HANOI_TOULOUSE_ID, role, partyId: cityParty },
];

export const demoMembers: DemoMember[] = [
  { name: 'Nguyễn Thu Hà', email: 'secretariat@demo.accord', isSecretariat: true, memberships: both('secretariat', null, null, null) },
  { name: 'Trần Minh Đức', email: 'vn-head@demo.accord', isSecretariat: false, memberships: both('head', 'vn', null, 'hanoi') },
  { name: 'Lê Thị Lan', email: 'vn-drafter@demo.accord', isSecretariat: false, memberships: both('drafter', 'vn', null, 'hanoi') },
  { name: 'Claire Dubois', email: 'fr-head@demo.accord', isSecretariat: false, memberships: both('head', null, 'fr', 'toulouse') },
  { name: 'Julien Martin', email: 'fr-drafter@demo.accord', isSecretariat: false, memberships: both('drafter', null, 'fr', 'toulouse') },
  { name: 'Sophie Bernard', email: 'observer@demo.accord', isSecretariat: false, memberships: both('observer', null, null, null) },
];
