import { describe, expect, it } from 'vitest';
import { visible, visibleLines } from './visible';

// The same cases as the CLI's escaping (src/cli/terminal.rs), so both show one text alike.
describe('visible', () => {
  it('returns plain text, tabs and non-ASCII letters as they are', () => {
    expect(visible('fix: café\tok')).toBe('fix: café\tok');
    expect(visible('')).toBe('');
    expect(visible('emoji 🎉 and 中文')).toBe('emoji 🎉 and 中文');
  });
  it('escapes ESC, BEL and carriage returns by name', () => {
    expect(visible('\u001b]0;pwned\u0007\u001b[2Jhi\rx')).toBe('\\e]0;pwned\\a\\e[2Jhi\\rx');
    expect(visible('back\bspace')).toBe('back\\bspace');
  });
  it('escapes bidi controls as code points', () => {
    expect(visible('a\u202eb\u2066c')).toBe('a\\u{202e}b\\u{2066}c');
    expect(visible('\u061c\u200e\u200f\u202a\u2069')).toBe('\\u{61c}\\u{200e}\\u{200f}\\u{202a}\\u{2069}');
  });
  it('escapes C1 controls, DEL and the other C0 controls', () => {
    expect(visible('x\u0085y\u007f')).toBe('x\\u{85}y\\x7f');
    expect(visible('\u0000\u0001\u001f')).toBe('\\x00\\x01\\x1f');
  });
  it('escapes line breaks and the line and paragraph separators: the text stays on one line', () => {
    expect(visible('two\nlines')).toBe('two\\nlines');
    expect(visible('a\u2028b\u2029c')).toBe('a\\u{2028}b\\u{2029}c');
  });
  it('leaves characters next to the escaped ones whole', () => {
    expect(visible('\u001b[31m🎉\u202e')).toBe('\\e[31m🎉\\u{202e}');
  });
  it('keeps the line breaks of a message and escapes the rest line by line', () => {
    expect(visibleLines('cannot read a\u001b[2J.txt\nsecond \u202eline')).toBe(
      'cannot read a\\e[2J.txt\nsecond \\u{202e}line',
    );
    expect(visibleLines('plain\ntext')).toBe('plain\ntext');
  });
});
