// dockle (`dockle -f json`): CIS Docker benchmark and best-practice checks per image.
import { asArray, type EnvelopeCheck, type ScannerAdapter, type ScannerOutput } from '../scanner-adapter.ts';

interface DockleDetail {
  code: string;
  title: string;
  level: string;
  alerts?: string[];
}

// dockle's SKIP (not evaluated) and IGNORE (silenced by the user) report nothing wrong.
const LEVELS: Readonly<Record<string, EnvelopeCheck['level']>> = { FATAL: 'FATAL', WARN: 'WARN', INFO: 'INFO', PASS: 'PASS', SKIP: 'PASS', IGNORE: 'PASS' };

export function parseDockle(json: unknown): ScannerOutput {
  const checks = asArray<DockleDetail>((json as { details?: unknown })?.details).map((d) => ({
    id: d.code.slice(0, 64),
    title: d.title.slice(0, 1024),
    level: LEVELS[d.level] ?? 'INFO',
    ...(d.alerts?.length ? { details: d.alerts.slice(0, 1000).map((a) => a.slice(0, 4096)) } : {}),
  }));
  return { vulnerabilities: [], packages: [], checks };
}

export const dockleAdapter: ScannerAdapter = {
  name: 'dockle',
  versionArgs: ['--version'],
  parseVersion: (output) => /version\s+(\S+)/i.exec(output)?.[1] ?? output.trim(),
  args: (target) => ['-f', 'json', ...(target.kind === 'registry' ? [target.location] : ['--input', target.location])],
  // dockle defaults to skipping TLS verification and allowing plain HTTP: both only for loopback registries here.
  env: (target) => ({
    DOCKLE_INSECURE: 'false',
    DOCKLE_NON_SSL: target.insecure ? 'true' : 'false',
    ...(target.credentials ? { DOCKLE_USERNAME: target.credentials.username, DOCKLE_PASSWORD: target.credentials.password } : {}),
  }),
  parse: parseDockle,
};
