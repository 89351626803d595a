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

/** One path segment of a layer's whiteouts and opaque directories. */
interface HideNode {
  children: Map<string, HideNode>;
  whiteout: boolean;
  opaque: boolean;
}

const hideNode = (): HideNode => ({ children: new Map(), whiteout: false, opaque: false });

function hideTree(whiteouts: readonly string[], opaqueDirs: readonly string[]): HideNode {
  const root = hideNode();
  const add = (path: string): HideNode => {
    let node = root;
    if (path === '') return node;
    for (const segment of path.split('/')) {
      let child = node.children.get(segment);
      if (!child) node.children.set(segment, (child = hideNode()));
      node = child;
    }
    return node;
  };
  for (const path of whiteouts) add(path).whiteout = true;
  for (const path of opaqueDirs) add(path).opaque = true;
  return root;
}

/**
 * Whether a whiteout (the path or a parent) or an opaque parent hides `path`. Walks the path's
 * segments down the tree, so the cost is the path's length once, whatever the number of whiteouts
 * or the path's depth (slicing every parent and looking it up was quadratic in the path's length).
 */
function hiddenBy(path: string, tree: HideNode): boolean {
  if (tree.opaque) return true;
  let node = tree;
  let start = 0;
  for (;;) {
    const slash = path.indexOf('/', start);
    const last = slash === -1;
    const child = node.children.get(last ? path.slice(start) : path.slice(start, slash));
    if (!child) return false;
    if (child.whiteout || (child.opaque && !last)) return true;
    if (last) return false;
    node = child;
    start = slash + 1;
  }
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
      const tree = hideTree(scan.whiteouts, scan.opaqueDirs);
      for (const [path, entry] of files) {
        if (!hiddenBy(path, tree)) continue;
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
