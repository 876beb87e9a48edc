import { describe, expect, it } from 'vitest';
import type { TextRange } from './bindings';
import { emphasisSegments } from './emphasis';
import { lineRuns as runsOf, type ByteSpan, type Run } from './lineRuns';

/** As the view calls it: the emphasis cut by `emphasisSegments` first. */
const lineRuns = (text: string, ranges: TextRange[], spans: ByteSpan[]) => runsOf(text, emphasisSegments(text, ranges), spans);

const joined = (runs: Run[]) => runs.flatMap((run) => run.pieces.map((piece) => piece.text)).join('');

describe('lineRuns', () => {
  it('keeps a line without spans or emphasis as one plain piece', () => {
    expect(lineRuns('let x = 1;', [], [])).toEqual([{ emphasized: false, pieces: [{ text: 'let x = 1;', cls: null }] }]);
  });

  it('has no runs for an empty line', () => {
    expect(lineRuns('', [{ start: 0, end: 3 }], [{ start: 0, end: 2, class: 'keyword' }])).toEqual([]);
  });

  it('cuts a line at its highlight spans', () => {
    expect(
      lineRuns(
        'let x = 1;',
        [],
        [
          { start: 0, end: 3, class: 'keyword' },
          { start: 8, end: 9, class: 'number' },
        ],
      ),
    ).toEqual([
      {
        emphasized: false,
        pieces: [
          { text: 'let', cls: 'keyword' },
          { text: ' x = ', cls: null },
          { text: '1', cls: 'number' },
          { text: ';', cls: null },
        ],
      },
    ]);
  });

  it('nests classed pieces inside an emphasised run that crosses token boundaries', () => {
    // emphasis "x = 1" over tokens: variable x, operator =, number 1
    const runs = lineRuns(
      'let x = 1;',
      [{ start: 4, end: 9 }],
      [
        { start: 0, end: 3, class: 'keyword' },
        { start: 4, end: 5, class: 'variable' },
        { start: 6, end: 7, class: 'operator' },
        { start: 8, end: 9, class: 'number' },
      ],
    );
    expect(runs).toEqual([
      { emphasized: false, pieces: [{ text: 'let', cls: 'keyword' }, { text: ' ', cls: null }] },
      {
        emphasized: true,
        pieces: [
          { text: 'x', cls: 'variable' },
          { text: ' ', cls: null },
          { text: '=', cls: 'operator' },
          { text: ' ', cls: null },
          { text: '1', cls: 'number' },
        ],
      },
      { emphasized: false, pieces: [{ text: ';', cls: null }] },
    ]);
  });

  it('splits a token that an emphasis range cuts', () => {
    const runs = lineRuns('"hello"', [{ start: 1, end: 3 }], [{ start: 0, end: 7, class: 'string' }]);
    expect(runs).toEqual([
      { emphasized: false, pieces: [{ text: '"', cls: 'string' }] },
      { emphasized: true, pieces: [{ text: 'he', cls: 'string' }] },
      { emphasized: false, pieces: [{ text: 'llo"', cls: 'string' }] },
    ]);
  });

  it('maps UTF-8 byte offsets onto the UTF-16 text', () => {
    // "é" is 2 bytes, "😀" 4 bytes and 2 UTF-16 units
    const text = 'é = "😀";';
    const runs = lineRuns(text, [], [
      { start: 0, end: 2, class: 'variable' },
      { start: 5, end: 11, class: 'string' },
    ]);
    expect(runs[0]?.pieces).toEqual([
      { text: 'é', cls: 'variable' },
      { text: ' = ', cls: null },
      { text: '"😀"', cls: 'string' },
      { text: ';', cls: null },
    ]);
  });

  it('never loses or repeats a character on bad input', () => {
    const text = 'fn main() {}';
    const runs = lineRuns(
      text,
      [
        { start: 5, end: 2 },
        { start: -4, end: 3 },
        { start: 10, end: 99 },
        { start: 2, end: 6 },
      ],
      [
        { start: 0, end: 2, class: 'keyword' },
        { start: 1, end: 7, class: 'function' },
        { start: 50, end: 60, class: 'comment' },
        { start: 9, end: 4, class: 'type' },
      ],
    );
    expect(joined(runs)).toBe(text);
    expect(runs.every((run) => run.pieces.every((piece) => piece.text.length > 0))).toBe(true);
    // of overlapping spans the earlier wins
    expect(runs[0]?.pieces[0]).toEqual({ text: 'fn', cls: 'keyword' });
  });
});
