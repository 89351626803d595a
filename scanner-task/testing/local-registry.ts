// Test helper: a real OCI registry (Debian's docker-registry) on 127.0.0.1, optionally behind
// htpasswd Basic auth, optionally sending its push notifications to a URL, with images pushed by skopeo.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../local/free-port.ts';

export interface LocalRegistry {
  host: string;
  stop(): Promise<void>;
}

export interface RegistryOptions {
  auth?: { username: string; password: string };
  /** Where the registry posts its event envelopes, with `Authorization: Bearer <token>`. */
  notify?: { url: string; token: string };
}

export async function startRegistry(options: RegistryOptions = {}): Promise<LocalRegistry> {
  const { auth, notify } = options;
  const dir = mkdtempSync(join(tmpdir(), 'hg-registry-'));
  const port = await freePort();
  let authBlock = '';
  if (auth) {
    writeFileSync(join(dir, 'htpasswd'), execFileSync('htpasswd', ['-Bbn', auth.username, auth.password]));
    authBlock = `auth:\n  htpasswd:\n    realm: test\n    path: ${join(dir, 'htpasswd')}\n`;
  }
  writeFileSync(
    join(dir, 'config.yml'),
    `version: 0.1\nlog:\n  level: error\nhttp:\n  addr: 127.0.0.1:${port}\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, 'data')}\n${authBlock}${notify ? notificationsBlock(notify) : ''}`,
  );
  const child: ChildProcess = spawn('docker-registry', ['serve', join(dir, 'config.yml')], { stdio: 'ignore' });
  const host = `127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      const response = await fetch(`http://${host}/v2/`);
      await response.body?.cancel();
      break;
    } catch {
      await new Promise((ok) => setTimeout(ok, 100));
    }
  }
  return {
    host,
    stop: async () => {
      // A registry stopped once has a signal code and no exit code: stopping it again is a no-op.
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((ok) => child.once('exit', ok));
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}

const notificationsBlock = ({ url, token }: { url: string; token: string }) =>
  `notifications:\n  endpoints:\n    - name: harborguard\n      url: ${url}\n      headers:\n        Authorization: [Bearer ${token}]\n      timeout: 5s\n      threshold: 5\n      backoff: 1s\n`;

/** skopeo copy into the registry (plain HTTP); extra args e.g. ['--format', 'v2s2'] or ['--all']. */
export function push(from: string, registry: string, target: string, extra: string[] = [], creds?: { username: string; password: string }): void {
  execFileSync(
    'skopeo',
    [
      'copy',
      '-q',
      '--dest-tls-verify=false',
      ...(creds ? ['--dest-creds', `${creds.username}:${creds.password}`] : []),
      ...extra,
      from,
      `docker://${registry}/${target}`,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
}
