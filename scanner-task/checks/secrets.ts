// What looks like a credential in an image's metadata: names of secret-bearing variables and
// well-known token formats. Only the name is reported, never the value.
const SECRET_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIALS?)$/i;
// Placeholders and pointers to a secret elsewhere are not secrets themselves.
const NOT_A_VALUE = /^(|\$\{?[A-Z_]+\}?|changeme|none|null|false|true|\/.*|.*_FILE)$/i;
const TOKEN_FORMATS: Array<[string, RegExp]> = [
  ['AWS access key id', /\b(AKIA|ASIA)[A-Z0-9]{16}\b/],
  ['GitHub token', /\bgh[pousr]_[A-Za-z0-9]{36,}\b/],
  ['private key', /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
  ['Slack token', /\bxox[abpr]-[A-Za-z0-9-]{10,}\b/],
];

/** Findings for KEY=value pairs (ENV entries, build args shown in history). */
export function secretAssignments(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/(?:^|[\s;"'])([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|'[^']*'|\S*)/g)) {
    const [, name, raw] = match;
    const value = raw!.replace(/^["']|["']$/g, '');
    if (SECRET_NAME.test(name!) && !NOT_A_VALUE.test(value) && !name!.endsWith('_FILE')) found.push(`${name} is set to a value`);
  }
  for (const [label, pattern] of TOKEN_FORMATS) if (pattern.test(text)) found.push(`contains what looks like a ${label}`);
  return found;
}
