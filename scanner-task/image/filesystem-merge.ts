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

const parentOf = (path: string): string => path.slice(0, Math.max(0, path.lastIndexOf('/')));

/**
 * The merged filesystem's paths by parent directory ('' is the root), implicit directories (named
 * only inside longer paths) included. A whiteout then costs what it removes: scanning every file
 * for every whiteout layer was quadratic in layers × files, and testing each file's parents was
 * quadratic in a path's length.
 */
class ChildIndex {
  private readonly children = new Map<string, Set<string>>();

  constructor(paths: Iterable<string>) {
    for (const path of paths) this.add(path);
  }

  add(path: string): void {
    // Up the parents until one is already known: each directory is registered once.
    for (let child = path; child !== '';) {
      const parent = parentOf(child);
      const siblings = this.children.get(parent);
      if (siblings) {
        siblings.add(child);
        return;
      }
      this.children.set(parent, new Set([child]));
      child = parent;
    }
  }

  /** Takes `dir`'s descendants out of the index and returns them (`dir` itself stays). */
  takeBelow(dir: string): string[] {
    const taken: string[] = [];
    for (const stack = [dir]; stack.length > 0;) {
      const at = stack.pop()!;
      const below = this.children.get(at);
      if (!below) continue;
      this.children.delete(at);
      for (const child of below) {
        taken.push(child);
        stack.push(child);
      }
    }
    return taken;
  }

  /** Takes `path` and its descendants out of the index and returns them. */
  take(path: string): string[] {
    this.children.get(parentOf(path))?.delete(path);
    return [path, ...this.takeBelow(path)];
  }
}

export function mergeLayers(scans: readonly LayerScan[]): MergedFilesystem {
  const files = new Map<string, FinalEntry>();
  const changes: LayerChanges[] = [];
  const removedBy: Array<Set<string>> = [];
  let wastedBytes = 0;
  // Built when the first layer hides something: images without whiteouts never pay for it.
  let index: ChildIndex | undefined;
  scans.forEach((scan, layerIndex) => {
    const change: LayerChanges = { filesAdded: 0, filesModified: 0, filesRemoved: 0 };
    const removed = new Set<string>();
    if (scan.whiteouts.length > 0 || scan.opaqueDirs.length > 0) {
      index ??= new ChildIndex(files.keys());
      const hidden = [...scan.whiteouts.flatMap((path) => index!.take(path)), ...scan.opaqueDirs.flatMap((dir) => index!.takeBelow(dir))];
      for (const path of hidden) {
        const entry = files.get(path);
        if (!entry) continue; // an implicit directory, or already hidden by another whiteout
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
      if (!before) index?.add(path);
    }
    changes.push(change);
    removedBy.push(removed);
  });
  return { files, changes, wastedBytes, removedBy };
}
