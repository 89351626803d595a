// `harborguard versions compare <ecosystem> <a> <b>`: how HarborGuard orders two versions
// under an ecosystem's rules, for users debugging a match. Prints "<", "=" or ">"; with
// --stdin, one result per "a b" input line. Unknown ecosystem or unparseable version: one
// line on stderr and exit status 2. With --stdin a bad line (not two versions, or one that
// does not parse) gets its error on stderr and "?" on stdout, the rest are still answered,
// and the exit status is 2 at the end: one bad line in a batch of thousands should not
// hide the answers for the others.
import { createInterface } from 'node:readline';
import { Command } from 'commander';
import { KNOWN_OSV_ECOSYSTEMS } from '#shared/ecosystems/ecosystem-of.ts';
import { InvalidVersionError, schemeForEcosystem, UnknownEcosystemError, type Compare } from '#shared/matching/versions/index.ts';

const SYMBOLS = { '-1': '<', '0': '=', '1': '>' } as const;

class UsageError extends Error {}

function symbol(compare: Compare, a: string, b: string): string {
  return SYMBOLS[String(compare(a, b)) as keyof typeof SYMBOLS];
}

// Blank lines are echoed blank and bad lines answered "?", so output line N always
// answers input line N. Returns how many lines were bad.
async function compareLines(compare: Compare, write: (text: string) => void): Promise<number> {
  let out: string[] = [];
  let n = 0;
  let bad = 0;
  const flush = (): void => {
    if (out.length > 0) write(`${out.join('\n')}\n`);
    out = [];
  };
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    n++;
    const fields = line.trim().split(/\s+/).filter(Boolean);
    let error: string | undefined;
    if (fields.length === 0) out.push('');
    else if (fields.length !== 2) error = 'expected two versions separated by whitespace';
    else {
      try {
        out.push(symbol(compare, fields[0] ?? '', fields[1] ?? ''));
      } catch (caught) {
        if (!(caught instanceof InvalidVersionError)) throw caught;
        error = caught.message;
      }
    }
    if (error !== undefined) {
      bad++;
      out.push('?');
      // This line's "?" and the answers before it go out first, so a terminal shows the
      // error right below the line it is about.
      flush();
      process.stderr.write(`harborguard versions compare: line ${n}: ${error}\n`);
    }
    if (out.length >= 4096) flush();
  }
  flush();
  return bad;
}

export function versionsCommand(): Command {
  const versions = new Command('versions').description('Version ordering per ecosystem, for debugging a match');
  versions
    .command('compare')
    .description("print <, = or > for <a> compared with <b> under the ecosystem's version rules")
    .argument('<ecosystem>', `OSV ecosystem name: ${KNOWN_OSV_ECOSYSTEMS.map((name) => (name.includes(' ') ? `"${name}"` : name)).join(', ')}`)
    .argument('[a]', 'first version')
    .argument('[b]', 'second version')
    .option('--stdin', 'read one "a b" pair per line from standard input')
    .action(async (ecosystem: string, a: string | undefined, b: string | undefined, flags: { stdin?: boolean }) => {
      const write = (text: string): void => void process.stdout.write(text);
      try {
        const { compare } = schemeForEcosystem(ecosystem);
        if (flags.stdin) {
          if (a !== undefined) throw new UsageError('give either <a> <b> or --stdin, not both');
          if ((await compareLines(compare, write)) > 0) process.exitCode = 2;
        } else {
          if (a === undefined || b === undefined) throw new UsageError('two versions are needed: <a> <b> (or --stdin)');
          write(`${symbol(compare, a, b)}\n`);
        }
      } catch (error) {
        if (!(error instanceof UsageError || error instanceof InvalidVersionError || error instanceof UnknownEcosystemError)) throw error;
        process.stderr.write(`harborguard versions compare: ${error.message}\n`);
        process.exitCode = 2;
      }
    });
  return versions;
}
