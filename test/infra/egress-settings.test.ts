// The operator's egress allowance (cdk -c scannerEgressAllow=…): read once, refused when it would
// let scans reach loopback or when an entry cannot be read, so a typo fails synth, not a scan.
import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { readSettings } from '../../infra/settings.ts';

const settingsWith = (value: unknown) => readSettings(new App({ context: { scannerEgressAllow: value } }).node);

describe('scannerEgressAllow', () => {
  it('is empty by default: public addresses only', () => {
    expect(readSettings(new App().node).scannerEgressAllow).toEqual([]);
  });

  it('takes CIDRs, hosts and domains from the command line or cdk.json', () => {
    expect(settingsWith('10.20.0.0/16, harbor.corp.example,*.svc.internal').scannerEgressAllow).toEqual([
      '10.20.0.0/16',
      'harbor.corp.example',
      '*.svc.internal',
    ]);
    expect(settingsWith(['172.31.0.0/16']).scannerEgressAllow).toEqual(['172.31.0.0/16']);
  });

  it.each(['127.0.0.0/8', '127.0.0.1', '::1', '0.0.0.0/0', 'localhost'])('refuses %s, which would let scans reach loopback', (entry) => {
    expect(() => settingsWith(entry)).toThrow(/must not allow loopback/);
  });

  it('refuses an entry it cannot read', () => {
    expect(() => settingsWith('10.0.0.0/33')).toThrow(/"10.0.0.0\/33" is not a CIDR range/);
  });
});
