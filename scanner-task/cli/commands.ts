// The explicit list of CLI subcommands: adding one is adding a file and a line here.
import type { Command } from 'commander';
import { dbCommand } from './db-command.ts';
import { scanCommand } from './scan-command.ts';
import { versionsCommand } from './versions-command.ts';

export const commands: Array<() => Command> = [scanCommand, dbCommand, versionsCommand];
