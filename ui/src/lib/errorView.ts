/**
 * Turns whatever a failure is — a command's `{ kind, message }`, a rejected IPC call (Tauri rejects
 * with a plain string when a command is missing or its arguments do not deserialize), a thrown
 * exception — into what the error panel shows. The message is kept exactly as it came.
 */
import type { ErrorKind } from './bindings';

export interface ErrorView {
  /** The command's error kind, or `exception` / `ipc` / `unknown` for failures outside the core. */
  kind: string;
  title: string;
  message: string;
}

const TITLES: Record<ErrorKind, string> = {
  pathNotFound: 'Path not found',
  notARepository: 'Not a git repository',
  bareRepository: 'Bare repository',
  emptyRepository: 'Empty repository',
  unknownRevision: 'Unknown revision',
  unknownBranch: 'Unknown branch',
  invalidTarget: 'Invalid review target',
  fileNotInTarget: 'File not in this target',
  invalidLines: 'Lines not available',
  unreadable: 'File could not be read',
  noDefaultBranch: 'No default branch',
  corruptRepository: 'Corrupt repository',
  shallowHistory: 'History cut off by a shallow clone',
  git: 'Git error',
  demo: 'Demo repository unavailable',
  watch: 'Cannot watch for changes',
  invalidConfig: 'Invalid configuration',
  databaseLocked: 'Review database busy',
  databaseTooNew: 'Review database from a newer Redline',
  dataDirUnusable: 'Data directory unusable',
  database: 'Review database error',
  noSuchNote: 'Note not found',
  invalidNote: 'Note not written',
  needsConfirmation: 'Approval needs confirmation',
  invalidImport: 'Not a review export',
  cannotUndo: 'Cannot undo',
  hookConfig: 'Agent hook configuration error',
  llmUnreachable: 'No model server answers',
  llm: 'The model request failed',
  cancelled: 'Stopped',
  internal: 'Internal error',
};

function isKnownKind(kind: string): kind is ErrorKind {
  return Object.hasOwn(TITLES, kind);
}

/** The panel title for a command error kind; unknown kinds get a generic one. */
export function errorTitle(kind: string): string {
  return isKnownKind(kind) ? TITLES[kind] : 'Something went wrong';
}

export function describeError(value: unknown): ErrorView {
  if (value instanceof Error) {
    return { kind: 'exception', title: 'Unexpected error', message: value.message || value.name };
  }
  if (typeof value === 'string') {
    return { kind: 'ipc', title: 'The request failed', message: value };
  }
  if (typeof value === 'object' && value !== null) {
    const { kind, message } = value as { kind?: unknown; message?: unknown };
    if (typeof kind === 'string' && typeof message === 'string') {
      return { kind, title: errorTitle(kind), message };
    }
  }
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return { kind: 'unknown', title: 'Something went wrong', message: text };
}
