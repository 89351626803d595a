// rpm roots built with the real rpm tools (no RPM repository is reachable): synthetic packages from
// rpmbuild installed with `rpm --root` (an rpmdb.sqlite), and the same headers loaded into a
// BerkeleyDB hash `Packages` with db5.3_load (CentOS 7 style). Truth is `rpm -qa` on each root.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './host-fixture.ts';

export const RPM_FIXTURE = join(REPO, '.cache', 'scanner-fixtures', 'rpm-v3');
export const RPM_TOOLS = ['rpmbuild', 'rpm', 'sqlite3', 'db5.3_load', 'flock'];

const QUERY_FORMAT = '%{NAME}\\t%{EPOCHNUM}:%{VERSION}-%{RELEASE}\\t%{ARCH}\\t%{SOURCERPM}\\t%{LICENSE}\\n';

// One package carries a long description so its header spans several BerkeleyDB overflow pages.
const spec = (name: string, version: string, release: string, epoch: string | undefined, license: string, sub?: string, long = false): string => `
Name: ${name}
Version: ${version}
Release: ${release}
${epoch ? `Epoch: ${epoch}` : ''}
Summary: test package ${name}
License: ${license}
BuildArch: noarch
%description
test${long ? ' lorem ipsum dolor sit amet'.repeat(800) : ''}
${sub ? `%package -n ${sub}\nSummary: sub\n%description -n ${sub}\nsub\n%files -n ${sub}\n/usr/share/${sub}.txt\n` : ''}
%install
mkdir -p %{buildroot}/usr/share
echo ${name} > %{buildroot}/usr/share/${name}.txt
${sub ? `echo ${sub} > %{buildroot}/usr/share/${sub}.txt` : ''}
%files
/usr/share/${name}.txt
`;

// Python metadata a package installs, as RHEL 9's python3-requests (built from python-requests) has it.
export const RPM_PYTHON_METADATA = 'usr/lib/python3.9/site-packages/requests-2.25.1-py3.9.egg-info/PKG-INFO';
const pythonSpec = `
Name: python-requests
Version: 2.25.1
Release: 6.el9
Summary: HTTP library
License: ASL 2.0
BuildArch: noarch
%description
test
%package -n python3-requests
Summary: HTTP library for Python 3
%description -n python3-requests
test
%install
mkdir -p %{buildroot}/${RPM_PYTHON_METADATA.replace(/\/PKG-INFO$/, '')}
printf 'Metadata-Version: 2.1\\nName: requests\\nVersion: 2.25.1\\n' > %{buildroot}/${RPM_PYTHON_METADATA}
%files -n python3-requests
/${RPM_PYTHON_METADATA.replace(/\/PKG-INFO$/, '')}
`;

const run = (command: string, args: string[]): string =>
  execFileSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });

function build(): void {
  rmSync(RPM_FIXTURE, { recursive: true, force: true });
  const top = join(RPM_FIXTURE, 'rpmbuild');
  for (const dir of ['SPECS', 'BUILD', 'RPMS', 'SOURCES', 'SRPMS', 'BUILDROOT']) mkdirSync(join(top, dir), { recursive: true });
  const specs = {
    'openssl.spec': spec('openssl', '3.0.7', '27.el9', '1', 'Apache-2.0', 'openssl-libs'),
    'bash.spec': spec('bash', '5.1.8', '9.el9', undefined, 'GPLv3+'),
    'tzdata.spec': spec('tzdata', '2024a', '1.el9', undefined, 'Public Domain', undefined, true),
    'python-requests.spec': pythonSpec,
  };
  for (const [file, text] of Object.entries(specs)) {
    writeFileSync(join(top, 'SPECS', file), text);
    run('rpmbuild', ['--define', `_topdir ${top}`, '-bb', join(top, 'SPECS', file)]);
  }
  const rpms = readdirSync(join(top, 'RPMS', 'noarch')).map((f) => join(top, 'RPMS', 'noarch', f));
  const sqliteRoot = join(RPM_FIXTURE, 'sqlite-root');
  mkdirSync(join(sqliteRoot, 'etc'), { recursive: true });
  writeFileSync(join(sqliteRoot, 'etc/os-release'), 'NAME="Rocky Linux"\nID="rocky"\nVERSION_ID="9.3"\nPRETTY_NAME="Rocky Linux 9.3 (Blue Onyx)"\n');
  run('rpm', ['--root', sqliteRoot, '--dbpath', '/var/lib/rpm', '-i', '--nodeps', '--noscripts', '--ignorearch', ...rpms]);
  writeFileSync(join(RPM_FIXTURE, 'sqlite.tsv'), run('rpm', ['--root', sqliteRoot, '--dbpath', '/var/lib/rpm', '-qa', '--qf', QUERY_FORMAT]));
  writeFileSync(
    join(RPM_FIXTURE, 'owner.txt'),
    run('rpm', ['--root', sqliteRoot, '--dbpath', '/var/lib/rpm', '-qf', '--qf', '%{NAME}', `/${RPM_PYTHON_METADATA}`]),
  );

  // The same headers as a BerkeleyDB hash keyed by little-endian package number, as rpm 4.x wrote it.
  const bdbRoot = join(RPM_FIXTURE, 'bdb-root');
  mkdirSync(join(bdbRoot, 'var/lib/rpm'), { recursive: true });
  mkdirSync(join(bdbRoot, 'etc'), { recursive: true });
  writeFileSync(join(bdbRoot, 'etc/os-release'), 'NAME="CentOS Linux"\nID="centos"\nVERSION_ID="7"\n');
  const rows = run('sqlite3', [join(sqliteRoot, 'var/lib/rpm/rpmdb.sqlite'), 'select hnum, hex(blob) from Packages'])
    .trim()
    .split('\n');
  const lines = ['VERSION=3', 'format=bytevalue', 'type=hash', 'HEADER=END'];
  for (const row of rows) {
    const [hnum, hex] = row.split('|') as [string, string];
    const key = Buffer.alloc(4);
    key.writeUInt32LE(Number(hnum));
    lines.push(` ${key.toString('hex')}`, ` ${hex.toLowerCase()}`);
  }
  lines.push('DATA=END');
  writeFileSync(join(RPM_FIXTURE, 'packages.dump'), `${lines.join('\n')}\n`);
  run('db5.3_load', ['-t', 'hash', '-f', join(RPM_FIXTURE, 'packages.dump'), join(bdbRoot, 'var/lib/rpm/Packages')]);
  writeFileSync(
    join(RPM_FIXTURE, 'bdb.tsv'),
    run('rpm', ['--root', bdbRoot, '--dbpath', '/var/lib/rpm', '--define', '_db_backend bdb_ro', '-qa', '--qf', QUERY_FORMAT]),
  );
  writeFileSync(join(RPM_FIXTURE, 'done'), '');
}

export function ensureRpmFixture(): { sqliteRoot: string; bdbRoot: string; sqliteTruth: string; bdbTruth: string; pythonOwner: string } {
  if (!existsSync(join(RPM_FIXTURE, 'done'))) {
    mkdirSync(join(REPO, '.cache', 'scanner-fixtures'), { recursive: true });
    execFileSync(
      'flock',
      [
        `${RPM_FIXTURE}.lock`,
        process.execPath,
        '--import',
        'tsx',
        '-e',
        `import(${JSON.stringify(new URL(import.meta.url).pathname)}).then((m) => m.buildRpmFixtureOnce())`,
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
  }
  return {
    sqliteRoot: join(RPM_FIXTURE, 'sqlite-root'),
    bdbRoot: join(RPM_FIXTURE, 'bdb-root'),
    sqliteTruth: join(RPM_FIXTURE, 'sqlite.tsv'),
    bdbTruth: join(RPM_FIXTURE, 'bdb.tsv'),
    pythonOwner: join(RPM_FIXTURE, 'owner.txt'),
  };
}

/** Entry point under the lock: another process may have built it while we waited. */
export function buildRpmFixtureOnce(): void {
  if (!existsSync(join(RPM_FIXTURE, 'done'))) build();
}
