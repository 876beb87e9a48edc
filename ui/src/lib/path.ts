/** How file paths are shown: the path a file is known by, split so the directory can be dimmed. */

/** The two paths a diff entry may carry (`null` on the side where the file does not exist). */
export interface FilePaths {
  oldPath: string | null;
  newPath: string | null;
}

/** The path a file is known by in the review: the new one, or the old one for a deletion. */
export function displayPath(file: FilePaths): string {
  return file.newPath ?? file.oldPath ?? '';
}

/** A path cut before its last component; `dir` keeps its trailing slash so `dir + name` is the path. */
export interface SplitPath {
  dir: string;
  name: string;
}

export function splitPath(path: string): SplitPath {
  const cut = path.lastIndexOf('/');
  return { dir: path.slice(0, cut + 1), name: path.slice(cut + 1) };
}

/**
 * The old path when the file moved (rename or copy), else `null`: what a "old → new" label needs.
 */
export function movedFrom(file: FilePaths): string | null {
  if (file.oldPath === null || file.newPath === null || file.oldPath === file.newPath) {
    return null;
  }
  return file.oldPath;
}
