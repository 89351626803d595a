// dpkg's status database (and distroless status.d/ files): RFC 822-style paragraphs, one per package.
export interface DpkgRecord {
  name: string;
  version: string;
  arch?: string;
  sourceName: string;
  sourceVersion: string;
}

/** The fields of one paragraph this parser reads; every other field is skipped unread. */
interface Paragraph {
  Package?: string;
  Version?: string;
  Status?: string;
  Architecture?: string;
  Source?: string;
}

const FIELDS = new Set<string>(['Package', 'Version', 'Status', 'Architecture', 'Source']);
/** Lengths of those names: any other field is passed over without being sliced out. */
const FIELD_LENGTHS = new Set([...FIELDS].map((f) => f.length));

const isSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0b || c === 0x0c;

/** Whether text[start, end) is whitespace only (a paragraph break); stops at the first other character. */
function blank(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (!isSpace(text.charCodeAt(i))) return false;
  return true;
}

/**
 * Walks the text line by line with indexOf, keeping only the fields above: a status file is
 * tens of megabytes for a large image, and splitting it into lines and a map per paragraph cost
 * seconds and hundreds of megabytes at 300,000 packages. Field names are compared, never used as
 * keys of a map, so a hostile file's thousands of long field names cost nothing either.
 */
function paragraphs(text: string, onParagraph: (fields: Paragraph) => void): void {
  let current: Paragraph = {};
  let empty = true;
  for (let start = 0; start <= text.length;) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    if (blank(text, start, end)) {
      if (!empty) onParagraph(current);
      current = {};
      empty = true;
    } else if (!isSpace(text.charCodeAt(start))) {
      // Continuation lines (Description, Conffiles) start with a blank and are not needed.
      const colon = text.indexOf(':', start);
      if (colon > start && colon < end && FIELD_LENGTHS.has(colon - start)) {
        const field = text.slice(start, colon);
        if (FIELDS.has(field)) {
          current[field as keyof Paragraph] = text.slice(colon + 1, end).trim();
          empty = false;
        }
      }
    }
    start = end + 1;
  }
  if (!empty) onParagraph(current);
}

// dpkg-query's ${source:Version}: the version in "Source: name (version)" if given, else the binary
// version without a binNMU suffix (+bN), which a binary-only rebuild adds but its source never had.
const withoutBinNmu = (version: string): string => version.replace(/\+b\d+$/, '');

/** Calls `onRecord` for each installed package, so a caller can turn records into packages without holding both. */
export function eachDpkgRecord(text: string, onRecord: (record: DpkgRecord) => void): void {
  paragraphs(text, ({ Package: name, Version: version, Status: status, Architecture: arch, Source: sourceField }) => {
    if (!name || !version) return;
    // Removed packages whose config files remain are still listed: only installed ones count.
    if (status !== undefined && status.split(/\s+/)[2] !== 'installed') return;
    const source = /^(\S+)(?:\s+\((.+)\))?$/.exec(sourceField ?? '');
    onRecord({
      name,
      version,
      ...(arch ? { arch } : {}),
      sourceName: source?.[1] ?? name,
      sourceVersion: source?.[2] ?? withoutBinNmu(version),
    });
  });
}
