// Batch runners for the real tools: each takes thousands of pairs and answers with one
// verdict per pair, spawning as few processes as the tool allows.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Verdict } from './oracle.ts';

function withTempDir<T>(use: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'hg-oracle-'));
  try {
    return use(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${command} exited with ${code}`))));
  });
}

// dpkg has no batch mode: one shell loop per CPU-ish chunk, two dpkg calls at most per pair.
// Exit status 2 is dpkg's "bad syntax" error.
const DPKG_LOOP = `while read -r a b; do
  if dpkg --compare-versions "$a" lt "$b" 2>/dev/null; then echo '<'
  else rc=$?
    if [ $rc -ne 1 ]; then echo error
    elif dpkg --compare-versions "$a" eq "$b" 2>/dev/null; then echo '='
    else echo '>'; fi
  fi
done < "$1"`;

export async function dpkgVerdicts(pairs: Array<[string, string]>, chunks = 4): Promise<Verdict[]> {
  const dir = mkdtempSync(join(tmpdir(), 'hg-dpkg-'));
  try {
    const size = Math.ceil(pairs.length / chunks);
    const outputs = await Promise.all(
      Array.from({ length: chunks }, (_, i) => {
        const file = join(dir, `pairs-${i}`);
        writeFileSync(
          file,
          pairs
            .slice(i * size, (i + 1) * size)
            .map(([a, b]) => `${a} ${b}\n`)
            .join(''),
        );
        return run('sh', ['-c', DPKG_LOOP, 'dpkg-oracle', file]);
      }),
    );
    return outputs.flatMap((out) => out.split('\n').filter(Boolean) as Verdict[]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// One rpm process: a Lua file loops over a tab-separated pairs file and calls rpm.vercmp.
export function rpmVerdicts(pairs: Array<[string, string]>): Verdict[] {
  return withTempDir((dir) => {
    const pairsFile = join(dir, 'pairs.tsv');
    const script = join(dir, 'vercmp.lua');
    writeFileSync(pairsFile, pairs.map(([a, b]) => `${a}\t${b}\n`).join(''));
    writeFileSync(
      script,
      `local out = {}
for line in io.lines(${JSON.stringify(pairsFile)}) do
  local a, b = line:match("^([^\\t]*)\\t(.*)$")
  local ok, r = pcall(rpm.vercmp, a, b)
  out[#out + 1] = ok and (r < 0 and "<" or r > 0 and ">" or "=") or "error"
end
io.write(table.concat(out, "\\n"), "\\n")
`,
    );
    const result = spawnSync('rpm', ['--eval', `%{lua: dofile(${JSON.stringify(script)})}`], { encoding: 'utf8', maxBuffer: 64 << 20 });
    if (result.status !== 0) throw new Error(`rpm failed: ${result.stderr}`);
    return result.stdout.split('\n').filter(Boolean) as Verdict[];
  });
}

// Maven's ComparableVersion has a main() that compares each argument with the next one:
// pass a1 b1 a2 b2 … and keep every other comparison.
export const MAVEN_ARTIFACT_JAR = '/usr/share/java/maven-artifact-3.x.jar';

export function mavenVerdicts(pairs: Array<[string, string]>): Verdict[] {
  const result = spawnSync('java', ['-cp', MAVEN_ARTIFACT_JAR, 'org.apache.maven.artifact.versioning.ComparableVersion', ...pairs.flat()], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (result.status !== 0) throw new Error(`java failed: ${result.stderr}`);
  const comparisons = result.stdout
    .split('\n')
    .filter((line) => line.startsWith('   '))
    .map((line) => / (<|==|>) /.exec(line)?.[1]);
  return pairs.map((_, i) => {
    const op = comparisons[2 * i];
    return op === '==' ? '=' : (op as Verdict);
  });
}

// One python process with the `packaging` library, the reference PEP 440 implementation.
export function pep440Verdicts(pairs: Array<[string, string]>): Verdict[] {
  const program = `import sys
from packaging.version import Version, InvalidVersion
for line in sys.stdin:
    a, b = line.rstrip("\\n").split("\\t")
    try:
        va, vb = Version(a), Version(b)
        print("<" if va < vb else ">" if va > vb else "=")
    except InvalidVersion:
        print("error")
`;
  const result = spawnSync('python3', ['-c', program], {
    input: pairs.map(([a, b]) => `${a}\t${b}\n`).join(''),
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (result.status !== 0) throw new Error(`python3 failed: ${result.stderr}`);
  return result.stdout.split('\n').filter(Boolean) as Verdict[];
}
