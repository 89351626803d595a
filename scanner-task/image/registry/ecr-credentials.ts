// Amazon ECR: registries answer Basic auth with AWS:<token>, the token coming from ECR's
// GetAuthorizationToken with the caller's AWS credentials (the task role in Fargate, the user's
// profile on a laptop). Used when no credentials are given for an ECR host.
import { AuthRequiredError } from '#shared/registry/image-errors.ts';
import type { Credentials } from '#shared/registry/registry-client.ts';

const ECR_HOST = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;

export function ecrRegion(host: string): string | undefined {
  return ECR_HOST.exec(host)?.[2];
}

/** Returns the base64 "AWS:<password>" authorization token for a region. */
export type EcrTokenSource = (region: string) => Promise<string>;

const sdkToken: EcrTokenSource = async (region) => {
  // Loaded only for ECR hosts: every other scan pays nothing for the SDK.
  const { ECRClient, GetAuthorizationTokenCommand } = await import('@aws-sdk/client-ecr');
  const client = new ECRClient({ region });
  try {
    const response = await client.send(new GetAuthorizationTokenCommand({}));
    const token = response.authorizationData?.[0]?.authorizationToken;
    if (!token) throw new AuthRequiredError('ECR returned no authorization token');
    return token;
  } finally {
    client.destroy();
  }
};

export async function ecrCredentials(host: string, source: EcrTokenSource = sdkToken): Promise<Credentials | undefined> {
  const region = ecrRegion(host);
  if (!region) return undefined;
  let token: string;
  try {
    token = await source(region);
  } catch (error) {
    throw new AuthRequiredError(`${host}: cannot get an ECR token (${(error as Error).message})`);
  }
  const decoded = Buffer.from(token, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) throw new AuthRequiredError(`${host}: malformed ECR authorization token`);
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
