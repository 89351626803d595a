// Builds the host fixture described in host-fixture.ts (run under a lock by ensureHostFixture).
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { FIXTURE, hostFixture, REPO } from './host-fixture.ts';
import { writeDocker25Archive } from './docker25-archive.ts';

const run = (command: string, args: string[], cwd?: string): string =>
  execFileSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });

if (!existsSync(join(FIXTURE, 'done'))) {
  rmSync(FIXTURE, { recursive: true, force: true });
  const roots = hostFixture.roots;
  const [l1, l2, l3] = ['layer1', 'layer2', 'layer3'].map((n) => join(roots, n)) as [string, string, string];

  // Layer 1: the OS without its Python packages (so layer 2 "installs" them, rewriting dpkg's status).
  const status = readFileSync('/var/lib/dpkg/status', 'utf8');
  const paragraphs = status.split(/\n\n+/).filter((p) => p.trim());
  const isPython = (p: string): boolean => /^Package: python3-/m.test(p);
  mkdirSync(join(l1, 'var/lib/dpkg/info'), { recursive: true });
  mkdirSync(join(l1, 'etc'), { recursive: true });
  mkdirSync(join(l1, 'usr/lib'), { recursive: true });
  cpSync('/usr/lib/os-release', join(l1, 'usr/lib/os-release'));
  cpSync('/etc/os-release', join(l1, 'etc/os-release'), { verbatimSymlinks: true });
  writeFileSync(join(l1, 'var/lib/dpkg/status'), `${paragraphs.filter((p) => !isPython(p)).join('\n\n')}\n`);
  for (const pkg of readdirSync('/usr/share/doc')) {
    const copyright = join('/usr/share/doc', pkg, 'copyright');
    if (statSync(copyright, { throwIfNoEntry: false })?.isFile() && !lstatSync(join('/usr/share/doc', pkg)).isSymbolicLink())
      cpSync(copyright, join(l1, copyright));
  }
  mkdirSync(join(l1, 'opt/remove-me'), { recursive: true });
  writeFileSync(join(l1, 'opt/remove-me/secret.txt'), 'whited out by layer 3\n');

  // Layer 2: the Python packages' status, file lists and metadata.
  mkdirSync(join(l2, 'var/lib/dpkg/info'), { recursive: true });
  writeFileSync(join(l2, 'var/lib/dpkg/status'), status);
  for (const file of readdirSync('/var/lib/dpkg/info')) {
    if (file.endsWith('.list')) cpSync(join('/var/lib/dpkg/info', file), join(isPythonList(file) ? l2 : l1, 'var/lib/dpkg/info', file));
  }
  const site = '/usr/lib/python3/dist-packages';
  for (const entry of readdirSync(site)) {
    if (entry.endsWith('.dist-info') || entry.endsWith('.egg-info')) cpSync(join(site, entry), join(l2, site, entry), { recursive: true, dereference: true });
  }

  // Layer 3: an npm application, jars (one nested in another), a Go binary, and a whiteout.
  const app = join(l3, 'app');
  const deps = ['fastify', 'commander', 'zod', 'semver'];
  mkdirSync(join(app, 'node_modules'), { recursive: true });
  const pkg = (dir: string) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string; dependencies?: Record<string, string> };
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify(
      { name: 'fixture-app', version: '1.0.0', dependencies: Object.fromEntries(deps.map((d) => [d, pkg(join(REPO, 'node_modules', d)).version])) },
      null,
      2,
    ),
  );
  const copied = new Set<string>();
  const copyClosure = (name: string): void => {
    if (copied.has(name) || !existsSync(join(REPO, 'node_modules', name))) return;
    copied.add(name);
    cpSync(join(REPO, 'node_modules', name), join(app, 'node_modules', name), { recursive: true });
    const manifest = pkg(join(REPO, 'node_modules', name));
    for (const dep of Object.keys(manifest.dependencies ?? {})) {
      if (!existsSync(join(REPO, 'node_modules', name, 'node_modules', dep))) copyClosure(dep);
    }
  };
  deps.forEach(copyClosure);
  mkdirSync(join(l3, 'opt/java'), { recursive: true });
  for (const jar of ['commons-lang3.jar', 'commons-io.jar', 'guava.jar'])
    cpSync(join('/usr/share/java', jar), join(l3, 'opt/java', jar), { dereference: true });
  writeFileSync(
    join(l3, 'opt/java/bundle.jar'),
    zipSync({
      'META-INF/MANIFEST.MF': Buffer.from('Manifest-Version: 1.0\r\nImplementation-Title: bundle\r\nImplementation-Version: 0.1\r\n\r\n'),
      'lib/commons-cli.jar': readFileSync('/usr/share/java/commons-cli.jar'),
    }),
  );
  mkdirSync(join(l3, 'usr/local/bin'), { recursive: true });
  // esbuild's release binary carries no Go build info; it stays as a large executable that is not Go.
  cpSync(join(REPO, 'node_modules/@esbuild/linux-x64/bin/esbuild'), join(l3, 'usr/local/bin/esbuild'));
  buildGoBinary(join(l3, 'usr/local/bin/hello'));

  // The image: one unpack → change → repack round per layer (umoci 0.4.7's `insert` writes
  // truncated tars, and repack does not chain, so each layer starts from a fresh unpack).
  const oci = hostFixture.oci;
  run('umoci', ['init', '--layout', oci]);
  run('umoci', ['new', '--image', `${oci}:app`]);
  const bundle = join(FIXTURE, 'bundle');
  for (const [root, remove] of [[l1], [l2], [l3, 'opt/remove-me']] as Array<[string, string?]>) {
    run('umoci', ['unpack', '--image', `${oci}:app`, bundle]);
    cpSync(root, join(bundle, 'rootfs'), { recursive: true, verbatimSymlinks: true });
    if (remove) rmSync(join(bundle, 'rootfs', remove), { recursive: true });
    run('umoci', ['repack', '--image', `${oci}:app`, bundle]);
    rmSync(bundle, { recursive: true });
  }
  run('umoci', ['config', '--image', `${oci}:app`, '--config.cmd', '/usr/local/bin/esbuild', '--config.user', '1000']);
  run('umoci', ['gc', '--layout', oci]);

  run('skopeo', ['copy', '-q', `oci:${oci}:app`, `oci-archive:${hostFixture.ociArchive}:app`]);
  run('skopeo', ['copy', '-q', `oci:${oci}:app`, `docker-archive:${hostFixture.dockerArchive}:example/app:latest`]);
  run('skopeo', ['copy', '-q', '--dest-compress-format', 'zstd', `oci:${oci}:app`, `oci:${hostFixture.ociZstd}:app`]);
  await writeDocker25Archive(oci, 'app', hostFixture.docker25Archive, 'example/app:latest');

  // Oracles, on the final root's own files.
  mkdirSync(join(FIXTURE, 'oracle'));
  writeFileSync(
    hostFixture.dpkgOracle,
    run('dpkg-query', [
      `--admindir=${join(l2, 'var/lib/dpkg')}`,
      '-W',
      '-f',
      '${db:Status-Abbrev}\t${Package}\t${Version}\t${Architecture}\t${source:Package}\t${source:Version}\n',
    ]),
  );
  const npmLs = spawnSync('npm', ['ls', '--all', '--json', '--prefix', app], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  writeFileSync(hostFixture.npmOracle, npmLs.stdout);
  writeFileSync(hostFixture.goOracle, run('go', ['version', '-m', join(l3, 'usr/local/bin/hello')]));
  writeFileSync(join(FIXTURE, 'done'), new Date().toISOString());
}

/** A Go program with a module dependency (a local replacement), built offline. */
function buildGoBinary(out: string): void {
  const src = join(FIXTURE, 'go-src');
  mkdirSync(join(src, 'lib'), { recursive: true });
  mkdirSync(join(src, 'app'), { recursive: true });
  writeFileSync(join(src, 'lib/go.mod'), 'module example.com/greeting\n\ngo 1.19\n');
  writeFileSync(join(src, 'lib/lib.go'), 'package greeting\n\nfunc Hello() string { return "hello" }\n');
  writeFileSync(
    join(src, 'app/go.mod'),
    'module example.com/hello\n\ngo 1.19\n\nrequire example.com/greeting v1.2.3\n\nreplace example.com/greeting => ../lib\n',
  );
  writeFileSync(
    join(src, 'app/main.go'),
    'package main\n\nimport (\n\t"fmt"\n\n\t"example.com/greeting"\n)\n\nfunc main() { fmt.Println(greeting.Hello()) }\n',
  );
  execFileSync('go', ['build', '-o', out, '.'], {
    cwd: join(src, 'app'),
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, GOPROXY: 'off', GOFLAGS: '-mod=mod', GOCACHE: join(FIXTURE, 'go-cache'), GOPATH: join(FIXTURE, 'go-path'), CGO_ENABLED: '0' },
  });
  rmSync(join(FIXTURE, 'go-cache'), { recursive: true, force: true });
  rmSync(join(FIXTURE, 'go-path'), { recursive: true, force: true });
}

function isPythonList(file: string): boolean {
  return file.startsWith('python3-');
}
