import { describe, expect, it } from 'vitest';
import { carryEntries, carryIndex, carryIndices } from './carrySelection';
import type { FilePaths } from './path';

const modified = (path: string): FilePaths => ({ oldPath: path, newPath: path });
const added = (path: string): FilePaths => ({ oldPath: null, newPath: path });
const deleted = (path: string): FilePaths => ({ oldPath: path, newPath: null });

const before = [modified('a.rs'), modified('b.rs'), deleted('c.rs')];

describe('carryIndex', () => {
  it('follows the selected file to its new position', () => {
    expect(carryIndex(before, [added('0.rs'), modified('a.rs'), modified('b.rs')], 1)).toBe(2);
    expect(carryIndex(before, [modified('a.rs'), deleted('c.rs')], 2)).toBe(1);
  });
  it('stays at the same position, or the last file, when the selected file is gone', () => {
    expect(carryIndex(before, [modified('a.rs'), modified('x.rs'), modified('y.rs')], 1)).toBe(1);
    expect(carryIndex(before, [modified('a.rs')], 2)).toBe(0);
  });
  it('selects the first file when none was selected, and nothing in an empty review', () => {
    expect(carryIndex([], [modified('a.rs')], null)).toBe(0);
    expect(carryIndex(before, [], 1)).toBeNull();
  });
});

describe('carryIndices', () => {
  it('keeps the files still there, at their new positions', () => {
    expect(carryIndices(before, [modified('b.rs'), deleted('c.rs')], new Set([0, 2]))).toEqual(new Set([1]));
    expect(carryIndices(before, [modified('b.rs'), modified('a.rs')], new Set([0, 1]))).toEqual(new Set([1, 0]));
  });
});

describe('carryEntries', () => {
  it('re-keys what is kept per file by its new position and drops the files that are gone', () => {
    const loads = new Map([
      [0, 'a loaded'],
      [2, 'c loading'],
    ]);
    expect(carryEntries(before, [added('0.rs'), modified('b.rs'), modified('a.rs')], loads)).toEqual(new Map([[2, 'a loaded']]));
    expect(carryEntries(before, [deleted('c.rs'), modified('a.rs')], loads)).toEqual(
      new Map([
        [1, 'a loaded'],
        [0, 'c loading'],
      ]),
    );
  });
});
