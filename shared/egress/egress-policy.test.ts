import { describe, expect, it } from 'vitest';
import { checkHostLiteral, egressPolicy, parseAddress } from './egress-policy.ts';

const strict = egressPolicy();

describe('egress policy', () => {
  it.each([
    ['169.254.169.254', 'EC2 metadata'],
    ['169.254.170.2', 'ECS task metadata'],
    ['fd00:ec2::254', 'EC2 IPv6 metadata'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['127.0.0.1', 'loopback'],
    ['127.8.9.10', 'loopback'],
    ['::1', 'loopback'],
    ['fd12:3456::1', 'unique-local'],
    ['fe80::1', 'link-local'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.251', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['::ffff:169.254.169.254', 'IPv4-mapped metadata'],
    ['::ffff:a9fe:a9fe', 'IPv4-mapped metadata, hex'],
    ['::ffff:10.0.0.1', 'IPv4-mapped private'],
    ['64:ff9b::a9fe:a9fe', 'NAT64 of metadata'],
    ['2002:a9fe:a9fe::1', '6to4 of metadata'],
  ])('refuses %s (%s)', (address) => {
    expect(strict.check('registry.example.com', address).allowed).toBe(false);
  });

  it.each(['8.8.8.8', '140.82.112.3', '2606:4700::1111', '::ffff:8.8.8.8'])('allows the public address %s', (address) => {
    expect(strict.check('registry.example.com', address)).toEqual({ allowed: true });
  });

  it.each([
    ['2852039166', '169.254.169.254'],
    ['0251.0376.0251.0376', '169.254.169.254'],
    ['0xa9fea9fe', '169.254.169.254'],
    ['0xa9.0xfe.0xa9.0xfe', '169.254.169.254'],
    ['169.254.43518', '169.254.169.254'],
    ['[::ffff:169.254.169.254]', '169.254.169.254'],
    ['017700000001', '127.0.0.1'],
  ])('reads the numeric spelling %s as %s', (spelling, address) => {
    expect(parseAddress(spelling)?.toString()).toBe(address);
    expect(checkHostLiteral(strict, `${spelling}:5000`).allowed).toBe(false);
  });

  it('judges names only at connect time, except localhost', () => {
    expect(checkHostLiteral(strict, 'registry.example.com:5000')).toEqual({ allowed: true });
    expect(checkHostLiteral(strict, 'localhost:5000').allowed).toBe(false);
    expect(checkHostLiteral(strict, 'foo.localhost').allowed).toBe(false);
    expect(checkHostLiteral(strict, '[::1]:5000').allowed).toBe(false);
  });

  it('allows what the operator lists, by range, host or domain, but never metadata', () => {
    const policy = egressPolicy('10.20.0.0/16, registry.corp.example, *.svc.internal, 127.0.0.0/8, 169.254.0.0/16');
    expect(policy.check('any', '10.20.3.4')).toEqual({ allowed: true });
    expect(policy.check('any', '::ffff:10.20.3.4')).toEqual({ allowed: true });
    expect(policy.check('any', '10.21.0.1').allowed).toBe(false);
    expect(policy.check('registry.corp.example:5000', '192.168.9.9')).toEqual({ allowed: true });
    expect(policy.check('other.corp.example', '192.168.9.9').allowed).toBe(false);
    expect(policy.check('harbor.svc.internal', '172.20.0.5')).toEqual({ allowed: true });
    expect(checkHostLiteral(policy, 'localhost:5000')).toEqual({ allowed: true });
    expect(policy.check('any', '169.254.169.254')).toMatchObject({ allowed: false, reason: expect.stringMatching(/never allowed/) });
    expect(policy.check('any', '169.254.170.2').allowed).toBe(false);
  });

  it('refuses a setting it cannot read, naming the entry', () => {
    expect(() => egressPolicy('10.0.0.0/99')).toThrow(/"10.0.0.0\/99"/);
    expect(() => egressPolicy('not a host')).toThrow(/"not a host"/);
  });
});
