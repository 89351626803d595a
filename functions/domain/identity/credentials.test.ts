import { describe, expect, it } from 'vitest';
import { digestsEqual, displayPrefix, generateSecret, hashSecret, secretKind } from './secrets.ts';
import { signSessionToken, verifySessionToken } from './session-token.ts';

describe('secrets', () => {
  it('generates the documented formats, each unique', () => {
    const keys = new Set(Array.from({ length: 200 }, () => generateSecret('api_key')));
    expect(keys.size).toBe(200);
    for (const key of keys) expect(key).toMatch(/^hg_ak_[0-9a-f]{48}$/);
    expect(generateSecret('pat')).toMatch(/^hg_pat_[0-9a-f]{48}$/);
  });
  it('recognises only well-formed secrets', () => {
    expect(secretKind('hg_ak_' + 'a'.repeat(48))).toBe('api_key');
    expect(secretKind('hg_pat_' + 'a'.repeat(48))).toBe('pat');
    for (const bad of ['hg_ak_' + 'A'.repeat(48), 'hg_ak_' + 'a'.repeat(47), 'hg_pat_' + 'a'.repeat(49), 'sk_' + 'a'.repeat(48), '']) {
      expect(secretKind(bad)).toBeUndefined();
    }
  });
  it('hashes deterministically and compares digests exactly', () => {
    const secret = generateSecret('api_key');
    expect(hashSecret(secret)).toMatch(/^[0-9a-f]{64}$/);
    expect(digestsEqual(hashSecret(secret), hashSecret(secret))).toBe(true);
    expect(digestsEqual(hashSecret(secret), hashSecret(secret + '0'))).toBe(false);
    expect(digestsEqual(hashSecret(secret), 'abcd')).toBe(false);
  });
  it('shows a prefix that is far too short to use', () => {
    const secret = generateSecret('pat');
    expect(displayPrefix(secret)).toBe(secret.slice(0, 13) + '…');
  });
});

describe('session tokens', () => {
  const now = new Date('2026-05-01T12:00:00Z');
  const claims = { sub: 'usr-1', org: 'org-1', iat: now.getTime() / 1000, exp: now.getTime() / 1000 + 60 };
  it('round-trips valid claims', () => {
    expect(verifySessionToken(signSessionToken(claims, 's3cret'), 's3cret', now)).toEqual(claims);
  });
  it('rejects expiry, another secret, and any changed byte', () => {
    const token = signSessionToken(claims, 's3cret');
    expect(verifySessionToken(token, 's3cret', new Date(now.getTime() + 60_000))).toBeUndefined();
    expect(verifySessionToken(token, 'other', now)).toBeUndefined();
    const [h, p, s] = token.split('.') as [string, string, string];
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: 'usr-2' })).toString('base64url');
    expect(verifySessionToken(`${h}.${forged}.${s}`, 's3cret', now)).toBeUndefined();
    expect(verifySessionToken(`${h}.${p}.${s.slice(0, -2)}`, 's3cret', now)).toBeUndefined();
    expect(verifySessionToken('garbage', 's3cret', now)).toBeUndefined();
    const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    expect(verifySessionToken(`${none}.${p}.`, 's3cret', now)).toBeUndefined();
  });
});
