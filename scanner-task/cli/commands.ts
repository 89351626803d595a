// The explicit list of CLI subcommands: adding one is adding a file and a line here.
import type { Command } from 'commander';

export const commands: Array<() => Command> = [];
