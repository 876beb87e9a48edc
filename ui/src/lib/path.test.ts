import { describe, expect, it } from 'vitest';
import { displayPath, movedFrom, splitPath } from './path';

describe('displayPath', () => {
  it('prefers the new path', () => {
    expect(displayPath({ oldPath: 'a/old.rs', newPath: 'b/new.rs' })).toBe('b/new.rs');
  });
  it('falls back to the old path of a deleted file', () => {
    expect(displayPath({ oldPath: 'gone.txt', newPath: null })).toBe('gone.txt');
  });
  it('is empty when neither side has a path', () => {
    expect(displayPath({ oldPath: null, newPath: null })).toBe('');
  });
});

describe('splitPath', () => {
  it('cuts before the last component and keeps the slash on the directory', () => {
    expect(splitPath('src/repo/target.rs')).toEqual({ dir: 'src/repo/', name: 'target.rs' });
  });
  it('has an empty directory for a top-level file', () => {
    expect(splitPath('Cargo.toml')).toEqual({ dir: '', name: 'Cargo.toml' });
  });
  it('round-trips any path, including odd ones', () => {
    for (const path of ['a/b/c', '/abs/x', 'dir/', '', 'sp ace/ünï.txt', '.hidden/.env']) {
      const { dir, name } = splitPath(path);
      expect(dir + name).toBe(path);
      expect(name.includes('/')).toBe(false);
    }
  });
});

describe('movedFrom', () => {
  it('gives the old path of a rename', () => {
    expect(movedFrom({ oldPath: 'src/a.rs', newPath: 'src/b.rs' })).toBe('src/a.rs');
  });
  it('is null when the path did not change, or a side is missing', () => {
    expect(movedFrom({ oldPath: 'src/a.rs', newPath: 'src/a.rs' })).toBeNull();
    expect(movedFrom({ oldPath: null, newPath: 'new.rs' })).toBeNull();
    expect(movedFrom({ oldPath: 'old.rs', newPath: null })).toBeNull();
  });
});
