// `.harborguard.yaml`: the policy file. Whatever is wrong with it (missing, not YAML, a setting
// the schema refuses) is one PolicyError whose message is one line naming the file and the first
// problem, e.g. `.harborguard.yaml: ignore[2].reason: required`; the CLI prints it as it is.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import type * as z from '#shared/validation.ts';
import { displayPath } from './display-path.ts';
import { policySchema, type Policy } from './policy.ts';

export const DEFAULT_POLICY_FILE = '.harborguard.yaml';

export class PolicyError extends Error {
  override readonly name = 'PolicyError';
}

/** `ignore[2].reason`: the path a person finds in the file. */
const pathOf = (path: readonly PropertyKey[]): string =>
  path.map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`)).join('');

function problemOf(issue: z.core.$ZodIssue): string {
  const at = issue.path.length === 0 ? '' : `${pathOf(issue.path)}: `;
  if (issue.code === 'unrecognized_keys') {
    const known = issue.path.length === 0 ? ` (settings: ${Object.keys(policySchema.shape).join(', ')})` : '';
    return `${at}unknown ${issue.keys.length === 1 ? 'key' : 'keys'} ${issue.keys.map((k) => `"${k}"`).join(', ')}${known}`;
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) return `${at}required`;
  if (issue.code === 'invalid_type' && issue.path.length === 0) return 'expected a mapping of policy settings (failOn: HIGH, …)';
  return `${at}${issue.message}`;
}

/** A policy from already-parsed data (the file's YAML, or the CLI's flags); `name` is what the message calls it. */
export function parsePolicy(value: unknown, name: string): Policy {
  const parsed = policySchema.safeParse(value, { reportInput: true });
  if (!parsed.success) throw new PolicyError(`${name}: ${problemOf(parsed.error.issues[0]!)}`);
  return parsed.data;
}

export function loadPolicyFile(path: string): Policy {
  const name = displayPath(path);
  let source: string;
  try {
    source = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new PolicyError(code === 'ENOENT' ? `${name}: no such file` : `${name}: cannot read it (${code ?? String(error)})`);
  }
  const document = parseDocument(source, { prettyErrors: true });
  const yamlError = document.errors[0];
  // The YAML library's message goes on with a code frame over several lines: the first says it.
  if (yamlError) throw new PolicyError(`${name}: not valid YAML: ${yamlError.message.split('\n')[0]!.replace(/:$/, '')}`);
  // An empty file is an empty policy: the defaults apply.
  return parsePolicy(document.toJS() ?? {}, name);
}

/** `.harborguard.yaml` in `cwd` when there is one: read without being named, so a missing one is no error. */
export function findDefaultPolicy(cwd: string): string | undefined {
  const path = join(cwd, DEFAULT_POLICY_FILE);
  return existsSync(path) ? path : undefined;
}
