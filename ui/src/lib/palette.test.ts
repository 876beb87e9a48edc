import { describe, expect, it } from 'vitest';
import { looksLikeRef, rankPalette, typedRef, type PaletteItem } from './palette';

const action = (id: PaletteItem & { kind: 'action' } extends infer A ? (A extends { id: infer I } ? I : never) : never, label: string, keywords = ''): PaletteItem => ({
  kind: 'action',
  id,
  label,
  keywords,
  key: null,
});

const items: PaletteItem[] = [
  action('nextFile', 'Next file'),
  action('comment', 'Comment on the hunk or the selected lines', 'note'),
  action('openSettings', 'Settings', 'theme preferences'),
  { kind: 'target', target: { kind: 'worktree' }, label: 'Working tree', spec: 'worktree', detail: '5 changed files', words: 'uncommitted changes' },
  { kind: 'target', target: { kind: 'commit', rev: 'e4f5a6b' }, label: 'Vendor governor, seed tenants', spec: 'e4f5a6b', detail: 'e4f5a6b · Dana Smith', words: 'commit' },
  { kind: 'file', index: 0, label: 'src/server.rs' },
  { kind: 'file', index: 1, label: 'src/middleware/rate_limit.rs' },
];

const labels = (query: string, recent: Parameters<typeof rankPalette>[2] = [], limit = 50) => rankPalette(query, items, recent, limit).map((r) => r.item.label);

describe('rankPalette', () => {
  it('lists everything for an empty query: actions, targets, files, in their order', () => {
    expect(labels('')).toEqual(items.map((i) => i.label));
  });

  it('puts the recently run actions first', () => {
    expect(labels('', ['openSettings', 'comment']).slice(0, 3)).toEqual(['Settings', 'Comment on the hunk or the selected lines', 'Next file']);
  });

  it('ranks matches by score: word starts and runs first', () => {
    expect(labels('rate')[0]).toBe('src/middleware/rate_limit.rs');
    expect(labels('nf')[0]).toBe('Next file');
  });

  it('finds targets by subject, short id and other words; actions by keywords', () => {
    expect(labels('vendor')[0]).toBe('Vendor governor, seed tenants');
    expect(labels('e4f5')[0]).toBe('Vendor governor, seed tenants');
    expect(labels('uncommitted')[0]).toBe('Working tree');
    expect(labels('theme')[0]).toBe('Settings');
  });

  it('marks where the label matched, and nothing when another field did', () => {
    const [first] = rankPalette('nxf', items, [], 50);
    expect(first?.positions).toEqual([0, 2, 5]);
    const [byId] = rankPalette('e4f5', items, [], 50);
    expect(byId?.positions).toEqual([]);
  });

  it('raises a recent action above an equal match', () => {
    const pair = [action('toggleNotes', 'Show the notes'), action('toggleLearn', 'Show the lessons')];
    const first = (recent: Parameters<typeof rankPalette>[2]) => rankPalette('show', pair, recent, 50)[0]?.item.label;
    expect(first([])).toBe('Show the notes');
    expect(first(['toggleLearn'])).toBe('Show the lessons');
  });

  it('offers the typed text as a ref to open: first when it looks like one, else last', () => {
    const range = rankPalette('v1.2..v1.3', items, [], 50);
    expect(range[0]?.item).toEqual({ kind: 'typed', text: 'v1.2..v1.3', label: 'v1.2..v1.3' });
    const word = rankPalette('rate', items, [], 50);
    expect(word.at(-1)?.item.kind).toBe('typed');
    expect(word[0]?.item.kind).toBe('file');
    // words with spaces are not a ref
    expect(rankPalette('next file', items, [], 50).some((r) => r.item.kind === 'typed')).toBe(false);
    expect(rankPalette('', items, [], 50).some((r) => r.item.kind === 'typed')).toBe(false);
  });

  it('shows at most the limit of matches (the typed ref besides)', () => {
    expect(rankPalette('', items, [], 3)).toHaveLength(3);
    expect(rankPalette('s', items, [], 2)).toHaveLength(3);
  });
});

describe('typed refs', () => {
  it('takes one word, trimmed', () => {
    expect(typedRef('  HEAD~3 ')).toBe('HEAD~3');
    expect(typedRef('next file')).toBeNull();
    expect(typedRef('   ')).toBeNull();
  });
  it('knows what reads as a ref or range', () => {
    for (const text of ['HEAD~3', 'main..feature', 'main...feature', 'v1.2..v1.3', 'HEAD^', 'main@{1}', 'branch:x', 'turn', 'turn:2', 'a1b2c3d', 'A1B2C3D4E5F60718293A4B5C6D7E8F9012345678']) {
      expect(looksLikeRef(text), text).toBe(true);
    }
    for (const text of ['main', 'rate', 'settings', 'a1b2c3', 'turnip']) expect(looksLikeRef(text), text).toBe(false);
  });
});
