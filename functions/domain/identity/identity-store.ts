// The port through which identity reaches its storage. One adapter implements it
// (functions/adapters/dynamodb/identity-repository.ts); the domain never sees DynamoDB.
import type { Role } from './roles.ts';

export interface Organization {
  id: string;
  slug: string;
  name: string;
  createdAt: string;
}

export interface User {
  id: string;
  email: string;
  createdAt: string;
}

export interface Membership {
  orgId: string;
  userId: string;
  email: string;
  role: Role;
  /** Credentials of this user issued before this instant do not act in the organisation. */
  addedAt: string;
  updatedAt: string;
}

interface CredentialBase {
  id: string;
  name: string;
  orgId: string;
  prefix: string;
  secretHash: string;
  createdAt: string;
  createdBy: string;
  expiresAt?: string;
  lastUsedAt?: string;
}

export interface ApiKeyRecord extends CredentialBase {
  kind: 'api_key';
  role: Role;
  sensor: boolean;
  /** A scanner task's upload credential: valid only for this one scan, until its deadline. */
  scanId?: string;
}

export interface PatRecord extends CredentialBase {
  kind: 'pat';
  userId: string;
}

export type CredentialRecord = ApiKeyRecord | PatRecord;

/**
 * What a membership write is conditional on, so that a decision taken on a read still holds
 * when the write lands (two admins, or two owners demoting each other, racing).
 */
export interface MembershipGuard {
  /** The member's role when the change was decided; the write fails if it has changed since. */
  role: Role;
  /** When an owner is demoted or removed: another member who must still be an owner. */
  otherOwner?: string;
}

export interface IdentityStore {
  findCredentialByHash(secretHash: string): Promise<CredentialRecord | undefined>;
  /** Records use; may skip the write when the last recorded use is recent. */
  recordCredentialUse(credential: CredentialRecord, at: string): Promise<void>;

  createApiKey(key: ApiKeyRecord): Promise<void>;
  /** Stores a scan's upload credential: findable by its hash only, gone after it expires. */
  createScanCredential(key: ApiKeyRecord & { scanId: string; expiresAt: string }): Promise<void>;
  listApiKeys(orgId: string): Promise<ApiKeyRecord[]>;
  getApiKey(orgId: string, keyId: string): Promise<ApiKeyRecord | undefined>;
  deleteApiKey(orgId: string, keyId: string): Promise<boolean>;

  createPat(pat: PatRecord): Promise<void>;
  listPats(userId: string, orgId: string): Promise<PatRecord[]>;
  getPat(userId: string, orgId: string, patId: string): Promise<PatRecord | undefined>;
  deletePat(userId: string, orgId: string, patId: string): Promise<boolean>;

  /** Creates the organisation unless one with that slug exists; returns the stored one. */
  ensureOrganization(org: Organization): Promise<Organization>;
  /** Creates the user unless one with that email exists; returns the stored one. */
  ensureUser(user: User): Promise<User>;
  getUser(userId: string): Promise<User | undefined>;

  getMembership(orgId: string, userId: string): Promise<Membership | undefined>;
  listMembers(orgId: string): Promise<Membership[]>;
  /** Creates the membership; false when the user is already a member. */
  addMembership(membership: Membership): Promise<boolean>;
  /** Undefined when the member is gone or the guard no longer holds. */
  updateMembershipRole(orgId: string, userId: string, role: Role, at: string, guard: MembershipGuard): Promise<Membership | undefined>;
  /** False when the member is gone or the guard no longer holds. */
  deleteMembership(orgId: string, userId: string, guard: MembershipGuard): Promise<boolean>;
}
