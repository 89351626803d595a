import { expect, it } from 'vitest';
import { sourceSubject } from './source-subject.ts';

it('counts an IPv4 address as itself, and its IPv4-mapped IPv6 spelling as the same source', () => {
  expect(sourceSubject('203.0.113.7')).toBe('203.0.113.7');
  expect(sourceSubject('::ffff:203.0.113.7')).toBe('203.0.113.7');
});

it('counts every address of an IPv6 /64 as one source', () => {
  expect(sourceSubject('2001:db8:1:2:aaaa::1')).toBe('2001:0db8:0001:0002::/64');
  expect(sourceSubject('2001:DB8:1:2:ffff:ffff:ffff:ffff')).toBe('2001:0db8:0001:0002::/64');
  expect(sourceSubject('2001:db8::1')).toBe('2001:0db8:0000:0000::/64');
  expect(sourceSubject('fe80::1%eth0')).toBe('fe80:0000:0000:0000::/64');
  expect(sourceSubject('::1')).toBe('0000:0000:0000:0000::/64');
});

it('puts anything unreadable in one shared bucket', () => {
  expect(sourceSubject(undefined)).toBe('unknown');
  expect(sourceSubject('not an address')).toBe('unknown');
});
