// The checks, each small, listed once in `checkDefinitions`. Ids follow the CIS Docker Benchmark
// (CIS-DI-*) and dockle (DKL-*) where one matches, so users can look them up; HG-* are our own.
import type { CheckDefinition } from './check.ts';
import { secretAssignments } from './secrets.ts';

const SETUID = 0o4000;
const SETGID = 0o2000;
const LIMIT = 50;

const limited = (items: string[]): string[] => (items.length > LIMIT ? [...items.slice(0, LIMIT), `… and ${items.length - LIMIT} more`] : items);

const rootUser: CheckDefinition = {
  id: 'CIS-DI-0001',
  title: 'Create a user for the container (do not run as root)',
  level: 'WARN',
  run: ({ image }) => {
    const user = image.config.config?.User?.trim() ?? '';
    const name = user.split(':')[0];
    return name === '' || name === 'root' || name === '0' ? [`runs as ${user === '' ? 'root (no USER set)' : user}`] : [];
  },
};

const healthcheck: CheckDefinition = {
  id: 'CIS-DI-0006',
  title: 'Add a HEALTHCHECK instruction to the container image',
  level: 'WARN',
  run: ({ image }) => {
    const test = image.config.config?.Healthcheck?.Test;
    return !test || test.length === 0 || test[0] === 'NONE' ? ['no HEALTHCHECK defined'] : [];
  },
};

const setuidFiles: CheckDefinition = {
  id: 'CIS-DI-0008',
  title: 'Confirm safety of setuid and setgid files',
  level: 'INFO',
  run: ({ filesystem }) => {
    const found: string[] = [];
    for (const [path, entry] of filesystem.files) {
      if (entry.type !== 'file' || (entry.mode & (SETUID | SETGID)) === 0) continue;
      found.push(
        `/${path} is ${entry.mode & SETUID ? 'setuid' : ''}${(entry.mode & (SETUID | SETGID)) === (SETUID | SETGID) ? '+' : ''}${entry.mode & SETGID ? 'setgid' : ''}`,
      );
    }
    return limited(found.sort());
  },
};

const remoteAdd: CheckDefinition = {
  id: 'CIS-DI-0009',
  title: 'Use COPY instead of ADD for remote URLs',
  level: 'WARN',
  run: ({ image }) =>
    (image.config.history ?? [])
      .map((h) => h.created_by ?? '')
      .filter((c) => /\bADD\b(?:\s+--\S+)*\s+(https?|ftp):\/\//i.test(c))
      .map((c) => `ADD of a remote URL: ${c.slice(0, 200)}`),
};

const secretsInEnv: CheckDefinition = {
  id: 'CIS-DI-0010',
  title: 'Do not store credentials in environment variables or build history',
  level: 'FATAL',
  run: ({ image }) => [
    ...(image.config.config?.Env ?? []).flatMap((e) => secretAssignments(e).map((f) => `ENV ${f}`)),
    ...(image.config.history ?? []).flatMap((h, i) => secretAssignments(h.created_by ?? '').map((f) => `history step ${i + 1}: ${f}`)),
  ],
};

const SECRET_FILES =
  /(^|\/)(\.aws\/credentials|\.docker\/config\.json|\.ssh\/id_(rsa|dsa|ecdsa|ed25519)|\.git-credentials|\.netrc|\.pgpass|\.htpasswd)$|\.(pem|key|p12|pfx)$/;
const NOT_SECRET_DIRS = /^(usr\/share|usr\/lib|etc\/ssl\/certs|usr\/local\/share\/ca-certificates)\//;

const secretFiles: CheckDefinition = {
  id: 'HG-SECRET-FILES',
  title: 'Do not ship credential files (keys, credentials, tokens)',
  level: 'FATAL',
  run: ({ filesystem }) => {
    const found: string[] = [];
    for (const [path, entry] of filesystem.files) if (entry.type === 'file' && SECRET_FILES.test(path) && !NOT_SECRET_DIRS.test(path)) found.push(`/${path}`);
    return limited(found.sort());
  },
};

const sudo: CheckDefinition = {
  id: 'DKL-DI-0001',
  title: 'Avoid sudo in the image',
  level: 'WARN',
  run: ({ image, filesystem }) => [
    ...['usr/bin/sudo', 'bin/sudo', 'usr/sbin/sudo'].filter((p) => filesystem.files.has(p)).map((p) => `/${p} is installed`),
    ...(image.config.history ?? []).filter((h) => /(^|[\s;&|])sudo\s/.test(h.created_by ?? '')).map((h) => `history runs sudo: ${h.created_by!.slice(0, 200)}`),
  ],
};

const upgrade: CheckDefinition = {
  id: 'DKL-DI-0003',
  title: 'Avoid upgrading every package during the build (pin versions instead)',
  level: 'WARN',
  run: ({ image }) =>
    (image.config.history ?? [])
      .map((h) => h.created_by ?? '')
      .filter((c) => /\b(apt-get|apt)\s+(-\S+\s+)*(dist-)?upgrade\b|\b(yum|dnf)\s+(-\S+\s+)*update\b|\bapk\s+upgrade\b/.test(c))
      .map((c) => c.slice(0, 200)),
};

const CACHES: Array<[string, RegExp]> = [
  ['apt package lists', /^var\/lib\/apt\/lists\/[^/]+_(Packages|InRelease|Release)/],
  ['apt downloaded .deb files', /^var\/cache\/apt\/archives\/[^/]+\.deb$/],
  ['apk cache', /^var\/cache\/apk\/[^/]+$/],
  ['yum/dnf cache', /^var\/cache\/(yum|dnf)\//],
  ['pip cache', /^(root|home\/[^/]+)\/\.cache\/pip\//],
  ['npm cache', /^(root|home\/[^/]+)\/\.npm\/_cacache\//],
];

const packageCaches: CheckDefinition = {
  id: 'DKL-DI-0005',
  title: 'Clear package manager caches',
  level: 'INFO',
  run: ({ filesystem }) => {
    const counts = new Map<string, { files: number; bytes: number }>();
    for (const [path, entry] of filesystem.files) {
      if (entry.type !== 'file') continue;
      const cache = CACHES.find(([, pattern]) => pattern.test(path));
      if (!cache) continue;
      const c = counts.get(cache[0]) ?? { files: 0, bytes: 0 };
      c.files++;
      c.bytes += entry.size;
      counts.set(cache[0], c);
    }
    return [...counts].map(([label, c]) => `${label}: ${c.files} files, ${c.bytes} bytes`);
  },
};

const latestTag: CheckDefinition = {
  id: 'DKL-DI-0006',
  title: 'Avoid the latest tag',
  level: 'WARN',
  run: ({ image }) => (image.tag === undefined ? undefined : image.tag === 'latest' ? ['image is tagged latest'] : []),
};

export const checkDefinitions: readonly CheckDefinition[] = [
  rootUser,
  healthcheck,
  setuidFiles,
  remoteAdd,
  secretsInEnv,
  secretFiles,
  sudo,
  upgrade,
  packageCaches,
  latestTag,
];
