// Sealing registry passwords at rest: AES-256-GCM under a key derived (HKDF-SHA256) from one
// deployment secret, with the organisation and registry host as additional data, so that a
// sealed value copied into another organisation's or registry's item does not open.
//
// Why a Secrets Manager secret rather than KMS: the key is fetched once per Lambda container
// (like the session secret), so sealing and opening cost no API call and no per-request KMS
// charge, and the local stack runs the same code with the key from the environment (the local
// emulators have no KMS). What KMS would add — the key never leaving the HSM, per-use audit — is
// weighed against that; the secret is readable only by the one function that seals and opens
// (route group `registries`, infra/route-access.ts).
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class SecretBox {
  private readonly key: Buffer;

  constructor(secret: string) {
    if (secret.length < 32) throw new Error('The registry credential key must be at least 32 characters');
    this.key = Buffer.from(hkdfSync('sha256', secret, 'harborguard', 'registry-credentials/v1', 32));
  }

  seal(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const sealed = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${VERSION}.${iv.toString('base64url')}.${sealed.toString('base64url')}`;
  }

  /** Throws when the value was not sealed by this key for this context. */
  open(sealed: string, context: string): string {
    const [version, iv, body] = sealed.split('.');
    if (version !== VERSION || !iv || !body) throw new Error('Not a sealed value of this version');
    const bytes = Buffer.from(body, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - TAG_BYTES)), decipher.final()]).toString('utf8');
  }
}
