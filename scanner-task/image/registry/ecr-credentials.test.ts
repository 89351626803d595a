// ECR itself cannot run here; the token source is the port, so the host rules and the token
// decoding are tested with a source that returns what ECR returns (base64 "AWS:<password>").
import { describe, expect, it } from 'vitest';
import { AuthRequiredError } from '#shared/registry/image-errors.ts';
import { ecrCredentials, ecrRegion } from './ecr-credentials.ts';

describe('ECR credentials', () => {
  it('recognises ECR hosts and their region', () => {
    expect(ecrRegion('123456789012.dkr.ecr.eu-west-1.amazonaws.com')).toBe('eu-west-1');
    expect(ecrRegion('123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com')).toBe('us-gov-west-1');
    expect(ecrRegion('123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn')).toBe('cn-north-1');
    expect(ecrRegion('ghcr.io')).toBeUndefined();
    expect(ecrRegion('evil.com/123456789012.dkr.ecr.eu-west-1.amazonaws.com')).toBeUndefined();
  });

  it('turns the authorization token into Basic credentials', async () => {
    const regions: string[] = [];
    const creds = await ecrCredentials('123456789012.dkr.ecr.eu-west-1.amazonaws.com', async (region) => {
      regions.push(region);
      return Buffer.from('AWS:eyJwYXlsb2FkIjoi:with:colons').toString('base64');
    });
    expect(regions).toEqual(['eu-west-1']);
    expect(creds).toEqual({ username: 'AWS', password: 'eyJwYXlsb2FkIjoi:with:colons' });
    expect(await ecrCredentials('ghcr.io', async () => 'unused')).toBeUndefined();
  });

  it('reports a missing or unusable token as an auth failure', async () => {
    await expect(
      ecrCredentials('123456789012.dkr.ecr.eu-west-1.amazonaws.com', async () => {
        throw new Error('no credentials in the environment');
      }),
    ).rejects.toThrow(AuthRequiredError);
    await expect(ecrCredentials('123456789012.dkr.ecr.eu-west-1.amazonaws.com', async () => Buffer.from('garbage').toString('base64'))).rejects.toThrow(
      /malformed/,
    );
  });
});
