// Java archives (jar/war/ear): Maven coordinates from pom.properties, else MANIFEST.MF, else the
// file name; nested archives are opened in memory, to a fixed depth and byte budget (zip bombs,
// jars in jars in jars).
import { unzipSync } from 'fflate';
import type { PackageDraft } from '#shared/packages/package.ts';
import { buildPurl } from '../../model/purl.ts';
import { parseManifest, parseProperties } from './parse-manifest.ts';

export const JAVA_ARCHIVE = /\.(jar|war|ear|jpi|hpi)$/i;
const MAX_DEPTH = 4;
/** Declared uncompressed bytes one top-level archive may make us inflate, nested ones included. */
const BUDGET = 128 * 1024 * 1024;

interface Budget {
  left: number;
  warnings: string[];
}

function mavenPackage(group: string | undefined, artifact: string, version: string, location: string, licenses: string[] = []): PackageDraft {
  return {
    name: group ? `${group}:${artifact}` : artifact,
    version,
    type: 'maven',
    purl: buildPurl({ type: 'maven', ...(group ? { namespace: group } : {}), name: artifact, version }),
    licenses,
    location,
  };
}

// commons-io-2.11.0.jar → commons-io 2.11.0
function fromFileName(path: string): { artifact: string; version: string } | undefined {
  const base = path.slice(path.lastIndexOf('/') + 1).replace(JAVA_ARCHIVE, '');
  const match = /^(.+?)-(\d[\w.+-]*)$/.exec(base);
  return match ? { artifact: match[1]!, version: match[2]! } : undefined;
}

function parseArchive(bytes: Uint8Array, location: string, depth: number, budget: Budget): PackageDraft[] {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: (file) => {
        const wanted =
          file.name === 'META-INF/MANIFEST.MF' ||
          /^META-INF\/maven\/.+\/pom\.properties$/.test(file.name) ||
          (depth < MAX_DEPTH && JAVA_ARCHIVE.test(file.name));
        if (!wanted) return false;
        if (file.originalSize > budget.left) {
          budget.warnings.push(`${location}!/${file.name}: skipped, over the nested-archive budget`);
          return false;
        }
        budget.left -= file.originalSize;
        return true;
      },
    });
  } catch (error) {
    budget.warnings.push(`${location}: not a readable zip (${(error as Error).message})`);
    return [];
  }
  const packages: PackageDraft[] = [];
  const manifestBytes = files['META-INF/MANIFEST.MF'];
  const manifest = manifestBytes ? parseManifest(Buffer.from(manifestBytes).toString('utf8')) : new Map<string, string>();
  const licenses = manifest.get('Bundle-License') ? [manifest.get('Bundle-License')!.split(';')[0]!] : [];
  for (const [name, content] of Object.entries(files)) {
    if (!name.endsWith('pom.properties')) continue;
    const props = parseProperties(Buffer.from(content).toString('utf8'));
    const artifact = props.get('artifactId');
    const version = props.get('version');
    if (artifact && version) packages.push(mavenPackage(props.get('groupId'), artifact, version, location, licenses));
  }
  if (packages.length === 0) {
    const byName = fromFileName(location);
    const title = manifest.get('Implementation-Title') ?? manifest.get('Bundle-SymbolicName')?.split(';')[0] ?? byName?.artifact;
    const version = manifest.get('Implementation-Version') ?? manifest.get('Bundle-Version') ?? byName?.version;
    const group =
      manifest.get('Implementation-Vendor-Id') ??
      manifest
        .get('Bundle-SymbolicName')
        ?.split(';')[0]
        ?.replace(/\.[^.]+$/, '');
    if (title && version) packages.push(mavenPackage(group !== title ? group : undefined, title, version, location, licenses));
  }
  for (const [name, content] of Object.entries(files)) {
    if (JAVA_ARCHIVE.test(name)) packages.push(...parseArchive(content, `${location}!/${name}`, depth + 1, budget));
  }
  return packages;
}

export function parseJavaArchive(bytes: Buffer, path: string): { packages: PackageDraft[]; warnings: string[] } {
  const budget: Budget = { left: BUDGET, warnings: [] };
  return { packages: parseArchive(bytes, path, 0, budget), warnings: budget.warnings };
}
