import { describe, expect, it } from 'vitest';
import type { SyncReport } from './bindings';
import { problemsText, syncButtonTitle, syncDetails, syncNews, syncSummary } from './syncSummary';

const NOW = Date.UTC(2025, 5, 15, 12, 0, 0);

function report(change: Partial<SyncReport> = {}): SyncReport {
  return {
    remote: 'origin',
    dryRun: false,
    commitsWritten: 0,
    newThreads: 0,
    newReplies: 0,
    newDecisions: 0,
    updatedThreads: 0,
    pushed: false,
    retries: 0,
    localOnly: [],
    problems: [],
    syncedAt: NOW,
    ...change,
  };
}

describe('syncSummary', () => {
  it('says when nothing was synced yet', () => {
    expect(syncSummary(null, NOW)).toBe('Not synced yet');
  });
  it('counts threads and replies from others as new notes, then the decisions', () => {
    expect(syncSummary(report({ newThreads: 2, newReplies: 1, newDecisions: 1 }), NOW)).toBe('Synced just now · 3 new notes from others · 1 decision');
  });
  it('says singular and plural right', () => {
    expect(syncSummary(report({ newReplies: 1 }), NOW)).toBe('Synced just now · 1 new note from others');
    expect(syncSummary(report({ newDecisions: 2 }), NOW)).toBe('Synced just now · 2 decisions');
  });
  it('says only when, when the sync brought nothing', () => {
    expect(syncSummary(report({ updatedThreads: 3, commitsWritten: 2, pushed: true }), NOW)).toBe('Synced just now');
  });
  it('ages with the clock', () => {
    const at = report({ syncedAt: NOW - 2 * 60_000, newThreads: 3 });
    expect(syncSummary(at, NOW)).toBe('Synced 2 min ago · 3 new notes from others');
    expect(syncSummary(at, NOW + 25 * 3600_000)).toBe('Synced yesterday · 3 new notes from others');
  });
  it('leaves the time out when the core gave none', () => {
    expect(syncSummary(report({ syncedAt: null }), NOW)).toBe('Synced');
  });
});

describe('syncNews', () => {
  it('is null when others brought nothing', () => {
    expect(syncNews(report())).toBeNull();
  });
});

describe('syncButtonTitle', () => {
  it('names the remote, or the notes ref when there is none', () => {
    expect(syncButtonTitle('origin')).toBe('Share reviews with origin through git');
    expect(syncButtonTitle(null)).toBe('Write reviews to refs/notes/redline (no remote)');
  });
});

describe('syncDetails', () => {
  it('lists what the sync did, one fact a line', () => {
    const lines = syncDetails(report({ newThreads: 1, newReplies: 2, updatedThreads: 1, commitsWritten: 3, pushed: true, retries: 1, localOnly: ['worktree'] }), 'origin').split('\n');
    expect(lines.slice(1)).toEqual([
      'Fetched from and pushed to origin',
      'From others: 1 new thread, 2 replies, 0 decisions',
      '1 thread changed by others (kind or resolved)',
      '3 commits with reviews written',
      'Push retried 1 time (the remote moved meanwhile)',
      'Kept local until committed: worktree',
    ]);
    expect(lines[0]).toMatch(/^Last sync: /);
  });
  it('says where a sync would go before the first one', () => {
    expect(syncDetails(null, 'origin')).toBe('Reviews have not been shared with origin yet');
    expect(syncDetails(null, null)).toBe('No remote: a sync writes the reviews to refs/notes/redline only');
  });
  it('says a sync without a remote wrote the notes ref only', () => {
    expect(syncDetails(report({ remote: null, syncedAt: null }), null)).toContain('Written to refs/notes/redline (no remote)');
  });
});

describe('problemsText', () => {
  it('counts the notes that could not be read', () => {
    expect(problemsText(['a1b2c3d: not JSON'])).toBe('1 note could not be read');
    expect(problemsText(['a: x', 'b: y'])).toBe('2 notes could not be read');
  });
});
