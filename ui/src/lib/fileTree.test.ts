import { describe, expect, it } from 'vitest';
import { flatRows, reveal, rowFiles, toggleDir, treeRows, type TreeEntry } from './fileTree';

const entries = (paths: string[]): TreeEntry[] => paths.map((path, index) => ({ index, path }));
const shape = (rows: ReturnType<typeof treeRows>) =>
  rows.map((row) => (row.kind === 'dir' ? `${'  '.repeat(row.depth)}${row.label} (${row.count})${row.collapsed ? ' +' : ''}` : `${'  '.repeat(row.depth)}${row.path.split('/').pop()}#${row.index}`));

describe('treeRows', () => {
  const paths = ['Cargo.toml', 'src/config.rs', 'src/middleware/rate_limit.rs', 'src/server.rs', 'tests/limits/legacy.rs', 'tests/limits/new.rs'];

  it('groups files by directory with counts, joining single-directory chains', () => {
    expect(shape(treeRows(entries(paths), new Set()))).toEqual([
      'Cargo.toml#0',
      'src/ (3)',
      '  config.rs#1',
      '  middleware/ (1)',
      '    rate_limit.rs#2',
      '  server.rs#3',
      'tests/limits/ (2)',
      '  legacy.rs#4',
      '  new.rs#5',
    ]);
  });

  it('leaves out the files of collapsed directories, keyed by full path', () => {
    const rows = treeRows(entries(paths), new Set(['src/middleware/', 'tests/limits/']));
    expect(shape(rows)).toEqual(['Cargo.toml#0', 'src/ (3)', '  config.rs#1', '  middleware/ (1) +', '  server.rs#3', 'tests/limits/ (2) +']);
    expect(rowFiles(rows)).toEqual([0, 1, 3]);
    expect(rows.find((row) => row.kind === 'dir' && row.label === 'middleware/')).toMatchObject({ path: 'src/middleware/' });
  });

  it('keeps the order given: a directory where its first file comes', () => {
    const risk: TreeEntry[] = [
      { index: 3, path: 'src/server.rs' },
      { index: 0, path: 'Cargo.toml' },
      { index: 1, path: 'src/config.rs' },
    ];
    expect(rowFiles(treeRows(risk, new Set()))).toEqual([3, 1, 0]);
  });

  it('is empty for no files, and flat rows are the files as given', () => {
    expect(treeRows([], new Set())).toEqual([]);
    expect(rowFiles(flatRows(entries(paths)))).toEqual([0, 1, 2, 3, 4, 5]);
  });
});

describe('reveal and toggleDir', () => {
  it('opens the directories holding a path, and only those', () => {
    const collapsed = new Set(['src/', 'src/middleware/', 'tests/']);
    expect([...reveal(collapsed, 'src/middleware/rate_limit.rs')]).toEqual(['tests/']);
    expect(reveal(collapsed, 'Cargo.toml')).toBe(collapsed);
    // `src/mid` is not a directory of `src/middleware/…`.
    expect([...reveal(new Set(['src/mid/']), 'src/middleware/a.rs')]).toEqual(['src/mid/']);
  });
  it('switches a directory', () => {
    expect([...toggleDir(new Set(), 'src/')]).toEqual(['src/']);
    expect([...toggleDir(new Set(['src/']), 'src/')]).toEqual([]);
  });
});
