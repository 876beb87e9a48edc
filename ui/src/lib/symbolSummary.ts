/**
 * What a file's symbol changes come to, in the words of its header ("2 functions changed,
 * 1 added"), and what its structure says about parsing ("not parsed: …", "does not parse").
 * The counting is the core's; this only words it.
 */
import type { FileStructure, SymbolChange, SymbolKind } from './bindings';

const NOUNS: Partial<Record<SymbolKind, [string, string]>> = {
  function: ['function', 'functions'],
  method: ['method', 'methods'],
  constructor: ['constructor', 'constructors'],
  class: ['class', 'classes'],
  struct: ['struct', 'structs'],
  enum: ['enum', 'enums'],
  trait: ['trait', 'traits'],
  interface: ['interface', 'interfaces'],
  impl: ['impl', 'impls'],
  module: ['module', 'modules'],
  type: ['type', 'types'],
  constant: ['constant', 'constants'],
  static: ['static', 'statics'],
  macro: ['macro', 'macros'],
};

/** The noun for `changes`: their kind when they share one, else "symbol". */
function noun(changes: readonly SymbolChange[], count: number): string {
  const kinds = new Set(changes.map((change) => (change.kind === 'method' ? 'function' : change.kind)));
  const [kind] = kinds;
  const pair = kinds.size === 1 && kind !== undefined ? (NOUNS[kind] ?? ['symbol', 'symbols']) : ['symbol', 'symbols'];
  return count === 1 ? pair[0] : pair[1];
}

/** "2 functions changed, 1 added, 1 removed"; `null` when no symbol changed. */
export function symbolSummary(structure: Pick<FileStructure, 'changes' | 'counts'>): string | null {
  const { counts, changes } = structure;
  const parts: [number, string][] = [
    [counts.modified + counts.signatureChanged, 'changed'],
    [counts.added, 'added'],
    [counts.removed, 'removed'],
    [counts.moved + counts.renamed, 'moved'],
  ];
  const shown = parts.filter(([count]) => count > 0);
  const first = shown[0];
  if (first === undefined) return null;
  const head = `${first[0]} ${noun(changes, first[0])} ${first[1]}`;
  return [head, ...shown.slice(1).map(([count, word]) => `${count} ${word}`)].join(', ');
}

/** One line per changed symbol, for the summary's tooltip: "modified  impl Cart › fn total". */
export function symbolChangeList(changes: readonly SymbolChange[]): string {
  const words: Record<SymbolChange['change'], string> = {
    added: 'added',
    removed: 'removed',
    modified: 'changed',
    signatureChanged: 'signature changed',
    moved: 'moved',
    renamed: 'renamed',
  };
  return changes
    .map((change) => {
      const where =
        change.change === 'renamed' || change.change === 'moved'
          ? `${change.oldPath ?? '?'} → ${change.newPath ?? '?'}`
          : (change.newPath ?? change.oldPath ?? '?');
      return `${words[change.change]}: ${where}`;
    })
    .join('\n');
}

/** What the header says about parsing: why a side was not parsed, or that it has syntax errors. */
export function parseNote(structure: Pick<FileStructure, 'old' | 'new'>): { text: string; title: string } | null {
  for (const side of [structure.new, structure.old]) {
    const reason = side.notParsed;
    if (reason !== null && reason.reason.kind !== 'unknownLanguage') return { text: reason.message, title: reason.message };
  }
  const errors = structure.new.errors;
  const first = errors[0];
  if (first !== undefined) {
    const lines = errors.map((e) => (e.startLine === e.endLine ? `line ${e.startLine}` : `lines ${e.startLine}–${e.endLine}`) + (e.missing !== null ? ` (missing ${e.missing})` : ''));
    return { text: 'does not parse', title: `Syntax errors in the new side: ${lines.join(', ')}` };
  }
  return null;
}
