import { describe, expect, it } from 'vitest';
import { SecretBox } from './secret-box.ts';

const box = new SecretBox('k'.repeat(40));

describe('SecretBox', () => {
  it('opens what it sealed, for the same context only', () => {
    const sealed = box.seal('hunter2', 'org-a\0ghcr.io');
    expect(sealed).not.toContain('hunter2');
    expect(box.open(sealed, 'org-a\0ghcr.io')).toBe('hunter2');
    expect(() => box.open(sealed, 'org-b\0ghcr.io')).toThrow();
    expect(() => new SecretBox('x'.repeat(40)).open(sealed, 'org-a\0ghcr.io')).toThrow();
  });

  it('seals the same text differently each time and detects tampering', () => {
    const [a, b] = [box.seal('same', 'c'), box.seal('same', 'c')];
    expect(a).not.toBe(b);
    const [version, iv, body] = a.split('.') as [string, string, string];
    const flipped = Buffer.from(body, 'base64url');
    flipped[0]! ^= 1;
    expect(() => box.open(`${version}.${iv}.${flipped.toString('base64url')}`, 'c')).toThrow();
  });

  it('refuses a short key', () => {
    expect(() => new SecretBox('short')).toThrow(/at least 32/);
  });
});
