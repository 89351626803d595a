// Reads a secret's string from Secrets Manager. Used once per Lambda container, during its
// init phase, so the session-signing secret never sits in the function's environment or in
// the CloudFormation template. The client is imported only when a secret is read: local runs
// and tests, which take the secret from HG_SESSION_SECRET, never load it.
export async function readSecretString(secretId: string): Promise<string> {
  const { GetSecretValueCommand, SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager');
  const client = new SecretsManagerClient({});
  try {
    const result = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
    if (!result.SecretString) throw new Error(`Secret ${secretId} has no string value`);
    return result.SecretString;
  } finally {
    client.destroy();
  }
}
