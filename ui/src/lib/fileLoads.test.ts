import { describe, expect, it } from 'vitest';
import type { FileDiff } from './bindings';
import { carryLoads, type FileLoad } from './fileLoads';

const tooLarge = { kind: 'tooLarge', bytes: 4_200_000, limit: 1_048_576 } as const;

function file(path: string, oldId: string | null, newId: string | null, omitted: FileDiff['omitted'] = tooLarge): FileDiff {
  return {
    oldPath: path,
    newPath: path,
    status: 'modified',
    oldKind: 'file',
    newKind: 'file',
    oldId,
    newId,
    similarity: null,
    binary: false,
    collapsed: null,
    omitted,
    additions: 1,
    deletions: 1,
    hunks: [],
  };
}

const loaded = (f: FileDiff): FileLoad => ({ state: 'loaded', file: { ...f, omitted: null } });

describe('carryLoads', () => {
  it('keeps a loaded diff whose sides are the same blobs, without fetching it again', () => {
    const dump = file('dump.sql', 'aaa', 'bbb');
    const { loads, refetch } = carryLoads(new Map([[3, loaded(dump)]]), [...Array<FileDiff>(3).fill(file('x', 'a', 'b')), dump]);
    expect(loads).toEqual(new Map([[3, loaded(dump)]]));
    expect(refetch).toEqual([]);
  });

  it("keeps showing a changed file's old diff and fetches the new one", () => {
    const before = file('dump.sql', 'aaa', 'bbb');
    const { loads, refetch } = carryLoads(new Map([[0, loaded(before)]]), [file('dump.sql', 'aaa', 'ccc')]);
    expect(loads.get(0)).toEqual(loaded(before));
    expect(refetch).toEqual([0]);
  });

  it('fetches again a working-tree side git has not hashed, and a load still on its way', () => {
    const unhashed = file('dump.sql', 'aaa', null);
    const { refetch } = carryLoads(
      new Map<number, FileLoad>([
        [0, loaded(unhashed)],
        [1, { state: 'loading' }],
      ]),
      [unhashed, file('seed.sql', 'ddd', 'eee')],
    );
    expect(refetch).toEqual([0, 1]);
  });

  it('drops a load the new review does not need: the file came inline, or the load failed', () => {
    const { loads, refetch } = carryLoads(
      new Map<number, FileLoad>([
        [0, loaded(file('dump.sql', 'aaa', 'bbb'))],
        [1, { state: 'failed', error: { kind: 'internal', title: 'Internal error', message: 'boom' } }],
      ]),
      [file('dump.sql', 'aaa', 'ccc', null), file('seed.sql', 'ddd', 'eee')],
    );
    expect(loads).toEqual(new Map());
    expect(refetch).toEqual([]);
  });
});
