/**
 * The file list as a tree: the review's files grouped by directory (chains of single
 * directories joined, `src/middleware/`), each directory with the count of files under it, and
 * flattened into the rows the list shows with the collapsed directories' files left out.
 */

/** A file to place in the tree: its index in the review and the path it is known by. */
export interface TreeEntry {
  index: number;
  path: string;
}

/** A row of the file list: a directory (tree view only) or a file. */
export type FileRow =
  | {
      kind: 'dir';
      /** The directory's full path with its trailing slash (`src/middleware/`): its key. */
      path: string;
      /** What the row shows: the directories it stands for below its parent (`src/middleware/`). */
      label: string;
      depth: number;
      /** The files under it, at any depth. */
      count: number;
      collapsed: boolean;
    }
  | { kind: 'file'; index: number; path: string; depth: number };

interface DirNode {
  path: string;
  label: string;
  dirs: Map<string, DirNode>;
  /** Files and directories, in the order their first file came. */
  children: (DirNode | TreeEntry)[];
  count: number;
}

function dirNode(path: string, label: string): DirNode {
  return { path, label, dirs: new Map(), children: [], count: 0 };
}

function isDir(child: DirNode | TreeEntry): child is DirNode {
  return 'dirs' in child;
}

/** The tree of `entries`, keeping their order: a directory comes where its first file did. */
function buildTree(entries: readonly TreeEntry[]): DirNode {
  const root = dirNode('', '');
  for (const entry of entries) {
    const parts = entry.path.split('/');
    let node = root;
    node.count++;
    for (const part of parts.slice(0, -1)) {
      let next = node.dirs.get(part);
      if (next === undefined) {
        next = dirNode(`${node.path}${part}/`, `${part}/`);
        node.dirs.set(part, next);
        node.children.push(next);
      }
      next.count++;
      node = next;
    }
    node.children.push(entry);
  }
  return root;
}

/** Joins a directory holding only one directory (and no file) with it: `src/` + `middleware/`. */
function compress(node: DirNode): DirNode {
  let joined = node;
  while (joined.children.length === 1) {
    const only = joined.children[0]!;
    if (!isDir(only)) break;
    joined = { ...only, label: joined.label + only.label };
  }
  return { ...joined, children: joined.children.map((child) => (isDir(child) ? compress(child) : child)) };
}

/**
 * The rows of the tree of `entries` (in their order), the files of `collapsed` directories (by
 * path, with the trailing slash) left out. Top-level files have depth 0.
 */
export function treeRows(entries: readonly TreeEntry[], collapsed: ReadonlySet<string>): FileRow[] {
  const rows: FileRow[] = [];
  const walk = (node: DirNode, depth: number) => {
    for (const child of node.children) {
      if (isDir(child)) {
        const shut = collapsed.has(child.path);
        rows.push({ kind: 'dir', path: child.path, label: child.label, depth, count: child.count, collapsed: shut });
        if (!shut) walk(compress(child), depth + 1);
      } else {
        rows.push({ kind: 'file', index: child.index, path: child.path, depth });
      }
    }
  };
  // The root's own children are compressed one by one (the root always stays).
  const root = buildTree(entries);
  walk({ ...root, children: root.children.map((child) => (isDir(child) ? compress(child) : child)) }, 0);
  return rows;
}

/** The rows of a flat list: every file, in the order given. */
export function flatRows(entries: readonly TreeEntry[]): FileRow[] {
  return entries.map((entry) => ({ kind: 'file', index: entry.index, path: entry.path, depth: 0 }));
}

/** The file indices of `rows`, in their order: what `j`/`k` and `n`/`p` step through. */
export function rowFiles(rows: readonly FileRow[]): number[] {
  return rows.flatMap((row) => (row.kind === 'file' ? [row.index] : []));
}

/** `collapsed` without the directories holding `path`, so its row is shown (the same set if none). */
export function reveal(collapsed: ReadonlySet<string>, path: string): ReadonlySet<string> {
  const holding = [...collapsed].filter((dir) => path.startsWith(dir));
  if (holding.length === 0) return collapsed;
  return new Set([...collapsed].filter((dir) => !path.startsWith(dir)));
}

/** `collapsed` with `dir` switched. */
export function toggleDir(collapsed: ReadonlySet<string>, dir: string): Set<string> {
  const next = new Set(collapsed);
  if (next.has(dir)) next.delete(dir);
  else next.add(dir);
  return next;
}
