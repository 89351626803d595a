// The parts of an OSV record (ossf.github.io/osv-schema) that the advisory database reads.
import type { OsvAffected } from './osv-ranges.ts';

export interface OsvSeverity {
  type: string;
  score: string;
}

export interface OsvAffectedEntry extends OsvAffected {
  severity?: OsvSeverity[];
  ecosystem_specific?: Record<string, unknown>;
  database_specific?: Record<string, unknown>;
}

export interface OsvRecord {
  schema_version?: string;
  id: string;
  modified: string;
  published?: string;
  withdrawn?: string;
  aliases?: string[];
  related?: string[];
  upstream?: string[];
  summary?: string;
  details?: string;
  severity?: OsvSeverity[];
  affected?: OsvAffectedEntry[];
  references?: Array<{ type: string; url: string }>;
  database_specific?: Record<string, unknown>;
}

export class InvalidOsvRecordError extends Error {
  constructor(
    readonly where: string,
    readonly reason: string,
  ) {
    super(`${where}: not an OSV record (${reason})`);
    this.name = 'InvalidOsvRecordError';
  }
}

// A cheap structural check: the importer must not index garbage, but full JSON Schema
// validation of every record would dominate build time on the real dumps.
export function asOsvRecord(value: unknown, where: string): OsvRecord {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InvalidOsvRecordError(where, 'not an object');
  const record = value as Partial<OsvRecord>;
  if (typeof record.id !== 'string' || record.id === '') throw new InvalidOsvRecordError(where, 'no id');
  if (typeof record.modified !== 'string') throw new InvalidOsvRecordError(where, 'no modified');
  if (record.affected !== undefined && !Array.isArray(record.affected)) throw new InvalidOsvRecordError(where, 'affected is not an array');
  return record as OsvRecord;
}
