// Stacks layer scans into the final filesystem: whiteouts and opaque directories hide what lower
// layers had, later entries replace earlier ones. Also counts what each layer added, changed and removed.
import type { EntryMeta, LayerScan } from './layer-reader.ts';

export interface FinalEntry extends EntryMeta {
  layerIndex: number;
}

export interface LayerChanges {
  filesAdded: number;
  filesModified: number;
  filesRemoved: number;
}

export interface MergedFilesystem {
  files: Map<string, FinalEntry>;
  changes: LayerChanges[];
  /** Bytes of regular files that a later layer replaced or deleted: shipped but never visible. */
  wastedBytes: number;
  /** Paths each layer hid from the layers below it (for attributing what a whiteout cut). */
  removedBy: Array<Set<string>>;
}

function hiddenBy(path: string, whiteouts: Set<string>, opaque: Set<string>): boolean {
  if (whiteouts.has(path)) return true;
  for (let slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1)) {
    const parent = path.slice(0, slash);
    if (whiteouts.has(parent) || opaque.has(parent)) return true;
  }
  return opaque.has('');
}

export function mergeLayers(scans: readonly LayerScan[]): MergedFilesystem {
  const files = new Map<string, FinalEntry>();
  const changes: LayerChanges[] = [];
  const removedBy: Array<Set<string>> = [];
  let wastedBytes = 0;
  scans.forEach((scan, layerIndex) => {
    const change: LayerChanges = { filesAdded: 0, filesModified: 0, filesRemoved: 0 };
    const removed = new Set<string>();
    if (scan.whiteouts.length > 0 || scan.opaqueDirs.length > 0) {
      const whiteouts = new Set(scan.whiteouts);
      const opaque = new Set(scan.opaqueDirs);
      for (const [path, entry] of files) {
        if (!hiddenBy(path, whiteouts, opaque)) continue;
        files.delete(path);
        removed.add(path);
        if (entry.type !== 'dir') change.filesRemoved++;
        if (entry.type === 'file') wastedBytes += entry.size;
      }
    }
    for (const [path, entry] of scan.entries) {
      const before = files.get(path);
      if (entry.type !== 'dir') {
        if (before && before.type !== 'dir') change.filesModified++;
        else change.filesAdded++;
      }
      if (before?.type === 'file') wastedBytes += before.size;
      // A directory re-declared by a later layer keeps what it held; only its metadata changes.
      files.set(path, { ...entry, layerIndex });
    }
    changes.push(change);
    removedBy.push(removed);
  });
  return { files, changes, wastedBytes, removedBy };
}
