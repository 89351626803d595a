// Opaque, URL-safe, prefixed identifiers (scn-…, tag-…, ak-…): random, so they reveal
// neither creation order nor volume to other tenants.
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

export type IdPrefix = 'scn' | 'tag' | 'org' | 'usr' | 'ak' | 'pat' | 'fnd';

export function newId(prefix: IdPrefix, length = 12): string {
  let id = '';
  while (id.length < length) {
    for (const byte of randomBytes(length)) {
      // 252 = 7 × 36: skipping bytes ≥ 252 keeps every character equally likely.
      if (byte < 252 && id.length < length) id += ALPHABET[byte % 36];
    }
  }
  return `${prefix}-${id}`;
}
