// `harborguard versions compare <ecosystem> <a> <b>`: how HarborGuard orders two versions
// under an ecosystem's rules, for users debugging a match. Prints "<", "=" or ">"; with
// --stdin, one result per "a b" input line. Unknown ecosystem, unparseable version or a
// malformed line: one line on stderr and exit status 2.
import { createInterface } from 'node:readline';
import { Command } from 'commander';
import { InvalidVersionError, schemeForEcosystem, UnknownEcosystemError, type Compare } from '../match/versions/index.ts';

const SYMBOLS = { '-1': '<', '0': '=', '1': '>' } as const;

class UsageError extends Error {}

function symbol(compare: Compare, a: string, b: string): string {
  return SYMBOLS[String(compare(a, b)) as keyof typeof SYMBOLS];
}

// Blank lines are echoed blank so output line N always answers input line N.
async function compareLines(compare: Compare, write: (text: string) => void): Promise<void> {
  let out: string[] = [];
  let n = 0;
  try {
    for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
      n++;
      const fields = line.trim().split(/\s+/).filter(Boolean);
      if (fields.length === 0) out.push('');
      else if (fields.length !== 2) throw new UsageError(`line ${n}: expected two versions separated by whitespace`);
      else out.push(symbol(compare, fields[0] ?? '', fields[1] ?? ''));
      if (out.length >= 4096) {
        write(`${out.join('\n')}\n`);
        out = [];
      }
    }
  } catch (error) {
    if (error instanceof InvalidVersionError) throw new UsageError(`line ${n}: ${error.message}`);
    throw error;
  } finally {
    if (out.length > 0) write(`${out.join('\n')}\n`);
  }
}

export function versionsCommand(): Command {
  const versions = new Command('versions').description('Version ordering per ecosystem, for debugging a match');
  versions
    .command('compare')
    .description('print <, = or > for <a> compared with <b> under the ecosystem\'s version rules')
    .argument('<ecosystem>', 'OSV ecosystem name: Debian, Ubuntu, Alpine, "Red Hat", "Rocky Linux", AlmaLinux, npm, PyPI, Maven, Go, crates.io, RubyGems, NuGet, Packagist')
    .argument('[a]', 'first version')
    .argument('[b]', 'second version')
    .option('--stdin', 'read one "a b" pair per line from standard input')
    .action(async (ecosystem: string, a: string | undefined, b: string | undefined, flags: { stdin?: boolean }) => {
      const write = (text: string): void => void process.stdout.write(text);
      try {
        const { compare } = schemeForEcosystem(ecosystem);
        if (flags.stdin) {
          if (a !== undefined) throw new UsageError('give either <a> <b> or --stdin, not both');
          await compareLines(compare, write);
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
