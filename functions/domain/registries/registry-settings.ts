// An organisation's settings for one container registry: the credentials scans of its images
// pull with, and whether it may be spoken to over plain HTTP. The password is stored sealed
// (secret-box.ts) and never leaves the control plane except to a scanner task of that
// organisation scanning an image of that registry.

/** What the API shows: never the password, only whether one is set. */
export interface RegistrySettings {
  host: string;
  username: string | null;
  hasPassword: boolean;
  allowPlainHttp: boolean;
  /** Token-service hosts besides the registry's own that the scanner trusts with the credentials. */
  tokenRealms: string[];
  createdAt: string;
  updatedAt: string;
  updatedBy: string;
}

export interface StoredRegistrySettings extends Omit<RegistrySettings, 'hasPassword'> {
  orgId: string;
  /** secret-box.ts output; null when the registry has no credentials (plain-HTTP setting only). */
  sealedPassword: string | null;
}

export interface RegistryStore {
  putRegistry(settings: StoredRegistrySettings): Promise<void>;
  getRegistry(orgId: string, host: string): Promise<StoredRegistrySettings | undefined>;
  listRegistries(orgId: string): Promise<StoredRegistrySettings[]>;
  /** The removed settings, if there were any. */
  deleteRegistry(orgId: string, host: string): Promise<StoredRegistrySettings | undefined>;
}

/** Seals and opens passwords (a SecretBox whose key is loaded on first use). */
export interface PasswordSealer {
  seal(plaintext: string, context: string): Promise<string>;
  open(sealed: string, context: string): Promise<string>;
}

/** The additional data a password is sealed with: it opens only for this organisation and host. */
export const sealingContext = (orgId: string, host: string) => `registry-password\0${orgId}\0${host}`;

export function registryView(stored: StoredRegistrySettings): RegistrySettings {
  const { host, username, allowPlainHttp, tokenRealms, createdAt, updatedAt, updatedBy } = stored;
  return { host, username, hasPassword: stored.sealedPassword !== null, allowPlainHttp, tokenRealms, createdAt, updatedAt, updatedBy };
}
