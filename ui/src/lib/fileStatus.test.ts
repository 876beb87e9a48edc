import { describe, expect, it } from 'vitest';
import type { FileStatus } from './bindings';
import { statusLabel, statusLetter } from './fileStatus';

const ALL: FileStatus[] = ['added', 'deleted', 'modified', 'renamed', 'copied', 'typeChanged'];

describe('statusLetter', () => {
  it("uses git's letters", () => {
    expect(ALL.map(statusLetter)).toEqual(['A', 'D', 'M', 'R', 'C', 'T']);
  });
});

describe('statusLabel', () => {
  it('names every status in words', () => {
    expect(statusLabel('typeChanged')).toBe('Type changed');
    for (const status of ALL) expect(statusLabel(status)).toMatch(/^[A-Z][a-z ]+$/);
  });
});
