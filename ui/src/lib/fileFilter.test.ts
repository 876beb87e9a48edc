import { describe, expect, it } from 'vitest';
import { filterPaths } from './fileFilter';

const files = ['src/server.rs', 'src/middleware/rate_limit.rs', 'tests/legacy_limits.rs', 'README.md'].map((path, index) => ({ index, path }));

describe('filterPaths', () => {
  it('keeps every file for a blank query', () => {
    expect(filterPaths(files, '')).toEqual(files);
    expect(filterPaths(files, '   ')).toEqual(files);
  });
  it('keeps paths holding the text anywhere, ignoring case, in order', () => {
    expect(filterPaths(files, 'LIMIT').map((f) => f.index)).toEqual([1, 2]);
    expect(filterPaths(files, 'src/').map((f) => f.index)).toEqual([0, 1]);
    expect(filterPaths(files, 'readme').map((f) => f.index)).toEqual([3]);
  });
  it('needs every word', () => {
    expect(filterPaths(files, 'src limit').map((f) => f.index)).toEqual([1]);
    expect(filterPaths(files, 'src nothing')).toEqual([]);
  });
});
