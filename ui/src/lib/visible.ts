/**
 * Text from a repository nobody vetted — commit subjects, author, branch and file names — can
 * hold terminal escape sequences, BEL, carriage returns and bidi controls that reorder what the
 * reviewer reads (Trojan Source). The window shows them visibly escaped, as the CLI does
 * (src/cli/terminal.rs): ESC as `\e`, BEL `\a`, backspace `\b`, `\r`, `\n`, other C0 controls
 * and DEL as `\xNN`, C1 controls, the line and paragraph separators and bidi controls as
 * `\u{…}`. Tabs pass. Text without any of them is returned as it is.
 */

/** Whether `code` reorders the text around it. */
function isBidiControl(code: number): boolean {
  return (
    code === 0x061c ||
    code === 0x200e ||
    code === 0x200f ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069)
  );
}

function needsEscape(code: number): boolean {
  if (code === 0x09) return false;
  if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return true;
  if (code === 0x2028 || code === 0x2029) return true;
  return isBidiControl(code);
}

const NAMED: Readonly<Record<number, string>> = {
  0x1b: '\\e',
  0x07: '\\a',
  0x08: '\\b',
  0x0d: '\\r',
  0x0a: '\\n',
};

// Controls, DEL and C1, the separators, bidi controls: the characters `needsEscape` accepts.
const ANY = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069]/;

/** `text` with every control and bidi character escaped visibly, line breaks included. */
export function visible(text: string): string {
  if (!ANY.test(text)) return text;
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (!needsEscape(code)) {
      out += char;
    } else if (NAMED[code] !== undefined) {
      out += NAMED[code];
    } else if (code < 0x80) {
      out += `\\x${code.toString(16).padStart(2, '0')}`;
    } else {
      out += `\\u{${code.toString(16)}}`;
    }
  }
  return out;
}

/** `text` escaped as [`visible`] does, line by line: its line breaks stay line breaks. */
export function visibleLines(text: string): string {
  return text.split('\n').map(visible).join('\n');
}
