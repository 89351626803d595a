import { describe, expect, it } from 'vitest';
import { failureCodeOf } from '../task/failure-code.ts';
import { parsePlatform, refuseOtherPlatform } from './platform.ts';

describe('refuseOtherPlatform', () => {
  const amd64 = { os: 'linux', architecture: 'amd64' };
  const armV7 = { os: 'linux', architecture: 'arm', variant: 'v7' };

  it('refuses a config for another os, architecture or variant, naming both', () => {
    expect(() => refuseOtherPlatform(amd64, parsePlatform('linux/arm64'))).toThrow('the image is for platform linux/amd64 only, not linux/arm64 as asked');
    expect(() => refuseOtherPlatform(amd64, parsePlatform('windows/amd64'))).toThrow(/linux\/amd64 only, not windows\/amd64/);
    expect(() => refuseOtherPlatform(armV7, parsePlatform('linux/arm/v6'))).toThrow(/linux\/arm\/v7 only, not linux\/arm\/v6/);
  });

  it('accepts what selectPlatform would: any variant when none is asked, arm64 v8 as no variant, a config that names none', () => {
    expect(() => refuseOtherPlatform(armV7, parsePlatform('linux/arm'))).not.toThrow();
    expect(() => refuseOtherPlatform({ os: 'linux', architecture: 'arm64', variant: 'v8' }, parsePlatform('linux/arm64'))).not.toThrow();
    expect(() => refuseOtherPlatform({ os: 'linux', architecture: 'arm64' }, parsePlatform('linux/arm64/v8'))).not.toThrow();
    expect(() => refuseOtherPlatform({}, parsePlatform('linux/arm64'))).not.toThrow();
  });

  it('fails a task scan as UNSUPPORTED_PLATFORM', () => {
    let error: unknown;
    try {
      refuseOtherPlatform(amd64, parsePlatform('linux/arm64'));
    } catch (thrown) {
      error = thrown;
    }
    expect(failureCodeOf(error)).toBe('UNSUPPORTED_PLATFORM');
  });
});
