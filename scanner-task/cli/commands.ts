// The explicit list of CLI subcommands: adding one is adding a file and a line here. Each is
// imported only when it runs (main.ts), so that `harborguard --version` or one subcommand does
// not load the code of all the others.
import type { Command } from 'commander';

export const commands: Record<string, () => Promise<Command>> = {
  scan: async () => (await import('./scan-command.ts')).scanCommand(),
  ci: async () => (await import('./ci-command.ts')).ciCommand(),
  db: async () => (await import('./db-command.ts')).dbCommand(),
  versions: async () => (await import('./versions-command.ts')).versionsCommand(),
};
