/**
 * What the Explain panel asks the core, built from what the reviewer is looking at (the shown
 * file, the hunk moved to, the lines picked by their numbers), and how it words what comes back:
 * the request's name, the model in use, what was redacted or cut, the request's figures.
 */
import type { ExplainRequest, FileDiff, ModelStatus, Redaction, Truncation, UsageFigures, AnswerSource } from './bindings';
import type { LinePlace } from './notePlaces';
import { displayPath } from './path';
import { countOf } from './plural';

/** What one hunk does and why; `hunkIndex` is 0-based, the core counts hunks from 1. */
export function hunkRequest(file: FileDiff, hunkIndex: number, teach: boolean): ExplainRequest | null {
  if (hunkIndex < 0 || hunkIndex >= file.hunks.length) return null;
  return { action: { kind: 'hunk', file: displayPath(file), hunk: hunkIndex + 1 }, teach };
}

/** What could go wrong with one hunk. */
export function risksRequest(file: FileDiff, hunkIndex: number, teach: boolean): ExplainRequest | null {
  if (hunkIndex < 0 || hunkIndex >= file.hunks.length) return null;
  return { action: { kind: 'risks', file: displayPath(file), hunk: hunkIndex + 1 }, teach };
}

export function fileRequest(file: FileDiff, teach: boolean): ExplainRequest {
  return { action: { kind: 'file', file: displayPath(file) }, teach };
}

export function changeRequest(teach: boolean): ExplainRequest {
  return { action: { kind: 'change' }, teach };
}

/** Lines of the new side a question is about, 1-based and inclusive. */
export interface QuestionLines {
  startLine: number;
  endLine: number;
  /** Where they came from, for the panel to say. */
  from: 'selection' | 'hunk';
}

/**
 * The lines a question is about: the lines picked by their numbers when they are on this file's
 * new side (the core asks about new code), else the new lines of the hunk moved to; `null` when
 * there are none (e.g. a hunk that only removes lines, or a deleted file).
 */
export function questionLines(file: FileDiff, selection: LinePlace | null, hunkIndex: number | null): QuestionLines | null {
  if (selection !== null && selection.side === 'new' && file.newPath !== null && selection.path === file.newPath) {
    return { startLine: selection.startLine, endLine: selection.endLine, from: 'selection' };
  }
  if (file.newPath === null) return null;
  const hunk = file.hunks[hunkIndex ?? 0];
  if (hunk === undefined || hunk.newLines === 0) return null;
  return { startLine: hunk.newStart, endLine: hunk.newStart + hunk.newLines - 1, from: 'hunk' };
}

/** A free question about `lines` of `file`; `null` for a blank question. */
export function questionRequest(file: FileDiff, lines: QuestionLines, question: string, teach: boolean): ExplainRequest | null {
  const asked = question.trim();
  if (asked === '') return null;
  return { action: { kind: 'question', file: displayPath(file), startLine: lines.startLine, endLine: lines.endLine, question: asked }, teach };
}

/** The same request, asked for a learner or not. */
export function withTeach(request: ExplainRequest, teach: boolean): ExplainRequest {
  return { action: request.action, teach };
}

/** Two requests ask the same thing (the panel's answer is for the request it shows). */
export function sameRequest(a: ExplainRequest | null, b: ExplainRequest | null): boolean {
  return a !== null && b !== null && JSON.stringify(a) === JSON.stringify(b);
}

/** "Hunk 2 of src/server.rs", "Lines 4–9 of src/a.rs", "The whole change", … */
export function requestTitle(request: ExplainRequest): string {
  const action = request.action;
  switch (action.kind) {
    case 'hunk':
      return `Hunk ${action.hunk} of ${action.file}`;
    case 'risks':
      return `What could go wrong in hunk ${action.hunk} of ${action.file}`;
    case 'file':
      return `The changes to ${action.file}`;
    case 'change':
      return 'The whole change';
    case 'question':
      return `${linesText(action.startLine, action.endLine)} of ${action.file}: “${action.question}”`;
  }
}

function linesText(start: number, end: number): string {
  return start === end ? `Line ${start}` : `Lines ${start}–${end}`;
}

/** An explanation of the whole change is about no lines, so it cannot be pinned as a note. */
export function canPin(request: ExplainRequest): boolean {
  return request.action.kind !== 'change';
}

/** "llama3.1:8b at http://127.0.0.1:11434 (found on this machine)". */
export function modelText(model: ModelStatus): string {
  const from: Record<ModelStatus['source'], string> = {
    environment: 'from REDLINE_LLM_*',
    settings: 'from the settings',
    detected: 'found on this machine',
  };
  return `${model.model} at ${model.baseUrl} (${from[model.source]})`;
}

/** How to get model answers instead of the structural summary. */
export const CONNECT_HINT =
  'Start a local model server (Ollama or llama.cpp on their default ports), or set REDLINE_LLM_BASE_URL and REDLINE_LLM_MODEL, to have a model explain the code.';

/**
 * "2 secrets replaced: AWS access key id in code, GitHub token in imports"; the same kind in the
 * same part is counted once with its number ("AWS access key id in code (2)"). `null` for none.
 */
export function redactionText(redactions: readonly Redaction[]): string | null {
  if (redactions.length === 0) return null;
  const counts = new Map<string, number>();
  for (const redaction of redactions) {
    const key = `${redaction.kind} in ${redaction.part}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const list = [...counts].map(([key, count]) => (count === 1 ? key : `${key} (${count})`)).join(', ');
  return `${countOf(redactions.length, 'secret', 'secrets')} replaced: ${list}`;
}

/** "Left out to fit the model: 2 imports, 14 code lines"; `null` when nothing was cut. */
export function truncationText(truncation: Truncation): string | null {
  const parts = [
    truncation.importsDropped > 0 ? countOf(truncation.importsDropped, 'import', 'imports') : null,
    truncation.findingsDropped > 0 ? countOf(truncation.findingsDropped, 'finding', 'findings') : null,
    truncation.enclosingLinesDropped > 0 ? countOf(truncation.enclosingLinesDropped, 'line of the enclosing symbol', 'lines of the enclosing symbol') : null,
    truncation.codeLinesDropped > 0 ? countOf(truncation.codeLinesDropped, 'code line', 'code lines') : null,
  ].filter((part) => part !== null);
  return parts.length === 0 ? null : `Left out to fit the model: ${parts.join(', ')}`;
}

/** One figure of a finished request, as the panel lists it. */
export interface UsageItem {
  key: 'cached' | 'in' | 'out' | 'first' | 'total' | 'attempts';
  text: string;
}

/**
 * A finished request's figures: "cached", tokens in and out, time to the first token, total time,
 * and the attempts when retried. Figures the server did not report are left out.
 */
export function usageItems(source: AnswerSource, usage: UsageFigures | null): UsageItem[] {
  const items: UsageItem[] = [];
  if (source === 'cache') items.push({ key: 'cached', text: 'cached' });
  if (usage === null) return items;
  if (usage.inputTokens !== null) items.push({ key: 'in', text: `${usage.inputTokens} tokens in` });
  if (usage.outputTokens !== null) items.push({ key: 'out', text: `${usage.outputTokens} tokens out` });
  if (usage.firstTokenMs !== null) items.push({ key: 'first', text: `first token ${usage.firstTokenMs} ms` });
  if (usage.totalMs !== null) items.push({ key: 'total', text: `total ${usage.totalMs} ms` });
  if (usage.attempts > 1) items.push({ key: 'attempts', text: `${usage.attempts} attempts` });
  return items;
}

/** A fresh id for one explanation, which Stop names to the core. */
export function explainId(): string {
  return `explain-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}
