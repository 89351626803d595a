#!/usr/bin/env node
// The `harborguard` command line: the composition root for every CLI subcommand.
// Each subcommand lives in its own file and is listed once in ./commands.ts.
import { Command, CommanderError } from 'commander';
import { TOOL_VERSION } from '#shared/sbom/tool-info.ts';
import { FORMAT_VERSION } from '#shared/matching/snapshot-format.ts';
import { commands } from './commands.ts';

const program = new Command('harborguard').description('HarborGuard container scanner').showHelpAfterError(false).exitOverride();
// The snapshot format beside the version: what a pipeline pinning the CLI must publish for it.
program.version(`harborguard ${TOOL_VERSION} (advisory snapshot format ${FORMAT_VERSION})`, '-V, --version');
// The subcommand named loads alone; help, a typo or no subcommand load them all, so that help
// lists every one and commander can suggest the nearest name.
const named = process.argv[2];
const wanted = named !== undefined && Object.hasOwn(commands, named) ? [named] : /^(-V|--version)$/.test(named ?? '') ? [] : Object.keys(commands);
for (const name of wanted) program.addCommand(await commands[name]!());

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode === 0 ? 0 : 2);
  // One line, never a stack trace: the user gets the reason and a non-zero exit.
  process.stderr.write(`harborguard: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
