// The names of the formats the gate writes, apart from their writers (index.ts, which the compiler
// holds to this list), so that a command can check `--format` without loading every writer.
export const GATE_FORMAT_NAMES = ['json', 'sarif', 'junit', 'markdown', 'cyclonedx'] as const;
export type GateFormat = (typeof GATE_FORMAT_NAMES)[number];
