import { describe, expect, it } from 'vitest';
import { plainHttpAllowed } from './registry-policy.ts';

describe('plainHttpAllowed', () => {
  it('allows loopback registries without a setting, as Docker does', () => {
    for (const ref of ['127.0.0.1:5000/a/b:1', '127.10.0.3/a:1', 'localhost:5000/a:1', '[::1]:5000/a:1']) expect(plainHttpAllowed(ref), ref).toBe(true);
  });

  it('requires the organisation setting for any other registry', () => {
    for (const ref of ['10.0.0.5:5000/a:1', 'registry.internal/a:1', 'docker.io/library/nginx:latest', '127.0.0.1.evil.example/a:1']) {
      expect(plainHttpAllowed(ref), ref).toBe(false);
      expect(plainHttpAllowed(ref, true), ref).toBe(true);
    }
  });
});
