/**
 * How the header words sharing reviews through git (`redline sync`): the Sync button's title, the
 * last sync in one line ("Synced 2 min ago · 3 new notes from others · 1 decision") and in full
 * (its title), the notes it could not read. Pure: the core's `SyncReport` comes in, words come out.
 */
import type { SyncReport } from './bindings';
import { countOf } from './plural';
import { relativeTime } from './relativeTime';

/** Where the core writes the reviews (`refs/notes/redline`). */
export const NOTES_REF = 'refs/notes/redline';

/** The Sync button's title: where the reviews go. */
export function syncButtonTitle(remote: string | null): string {
  return remote === null ? `Write reviews to ${NOTES_REF} (no remote)` : `Share reviews with ${remote} through git`;
}

/** What a sync brought from others, in a few words: "3 new notes from others · 1 decision"; `null` when nothing. */
export function syncNews(report: SyncReport): string | null {
  const parts: string[] = [];
  const notes = report.newThreads + report.newReplies;
  if (notes > 0) parts.push(`${countOf(notes, 'new note', 'new notes')} from others`);
  if (report.newDecisions > 0) parts.push(countOf(report.newDecisions, 'decision', 'decisions'));
  return parts.length === 0 ? null : parts.join(' · ');
}

/** "Synced 2 min ago", or "Not synced yet". */
export function syncWhen(report: SyncReport | null, nowMs: number): string {
  if (report === null) return 'Not synced yet';
  return report.syncedAt === null ? 'Synced' : `Synced ${relativeTime(report.syncedAt / 1000, nowMs)}`;
}

/** "Synced 2 min ago · 3 new notes from others · 1 decision", or "Not synced yet". */
export function syncSummary(report: SyncReport | null, nowMs: number): string {
  const when = syncWhen(report, nowMs);
  const news = report === null ? null : syncNews(report);
  return news === null ? when : `${when} · ${news}`;
}

/** Everything the last sync did, one fact a line, for the summary's title. */
export function syncDetails(report: SyncReport | null, remote: string | null): string {
  if (report === null) {
    return remote === null ? `No remote: a sync writes the reviews to ${NOTES_REF} only` : `Reviews have not been shared with ${remote} yet`;
  }
  const lines: string[] = [];
  if (report.syncedAt !== null) lines.push(`Last sync: ${new Date(report.syncedAt).toLocaleString()}`);
  const where = report.remote ?? remote;
  if (where === null) lines.push(`Written to ${NOTES_REF} (no remote)`);
  else lines.push(report.pushed ? `Fetched from and pushed to ${where}` : `Fetched from ${where}; nothing to push`);
  const brought = [
    countOf(report.newThreads, 'new thread', 'new threads'),
    countOf(report.newReplies, 'reply', 'replies'),
    countOf(report.newDecisions, 'decision', 'decisions'),
  ];
  lines.push(`From others: ${brought.join(', ')}`);
  if (report.updatedThreads > 0) lines.push(`${countOf(report.updatedThreads, 'thread', 'threads')} changed by others (kind or resolved)`);
  lines.push(`${countOf(report.commitsWritten, 'commit', 'commits')} with reviews written`);
  if (report.retries > 0) lines.push(`Push retried ${countOf(report.retries, 'time', 'times')} (the remote moved meanwhile)`);
  if (report.localOnly.length > 0) lines.push(`Kept local until committed: ${report.localOnly.join(', ')}`);
  return lines.join('\n');
}

/** The warning for notes the sync could not read: "1 note could not be read". */
export function problemsText(problems: readonly string[]): string {
  return problems.length === 1 ? '1 note could not be read' : `${problems.length} notes could not be read`;
}
