import { describe, expect, it } from 'vitest';
import type { HunkAuthorship, UncommittedEvidence } from './bindings';
import { evidenceLines, evidenceShort, evidenceText, isUncommitted, uncommittedLabel, withEvidence } from './uncommitted';

const NOW = Date.UTC(2025, 2, 14, 12, 30);

const none: UncommittedEvidence = { agent: false, agents: [], evidence: [] };
const running: UncommittedEvidence = {
  agent: true,
  agents: ['Claude Code'],
  evidence: [{ kind: 'process', agent: 'Claude Code', command: 'claude', pid: 1234 }],
};
const userHook: UncommittedEvidence = {
  agent: false,
  agents: [],
  evidence: [{ kind: 'hook', agent: 'claude-code', path: '/home/dana/.claude/settings.json', repository: false }],
};

function hunk(extra: Partial<HunkAuthorship>): HunkAuthorship {
  return { hunkId: 'h', path: 'a.rs', aiWritten: false, agents: [], commits: [], aiLines: 0, humanLines: 0, uncommittedLines: 0, fromNote: false, ...extra };
}

describe('uncommitted changes', () => {
  it('are the working tree and the index only', () => {
    expect(isUncommitted({ kind: 'worktree' })).toBe(true);
    expect(isUncommitted({ kind: 'staged' })).toBe(true);
    expect(isUncommitted({ kind: 'commit', rev: 'HEAD' })).toBe(false);
    expect(isUncommitted({ kind: 'turn', session: null, first: null, last: null })).toBe(false);
  });

  it('are called uncommitted changes without evidence, or while it is not known', () => {
    expect(uncommittedLabel(null)).toBe('uncommitted changes');
    expect(uncommittedLabel(none)).toBe('uncommitted changes');
    expect(uncommittedLabel(userHook)).toBe('uncommitted changes');
  });

  it('are an agent session, named for its agents, with evidence', () => {
    expect(uncommittedLabel(running)).toBe('Claude Code session');
    expect(uncommittedLabel({ ...running, agents: ['Claude Code', 'Aider'] })).toBe('Claude Code +1 session');
    expect(uncommittedLabel({ ...running, agents: [] })).toBe('agent session');
  });

  it('say what the evidence is in a few words on the entry', () => {
    expect(evidenceShort({ kind: 'process', agent: 'Claude Code', command: 'claude', pid: 1234 })).toBe('claude running (pid 1234)');
    expect(evidenceShort({ kind: 'session', session: 's1', agent: null, turn: 3, at: 0 })).toBe('turn 3 recorded on HEAD');
    expect(evidenceShort({ kind: 'hook', agent: 'cursor', path: '/r/.cursor/hooks.json', repository: true })).toBe('hook in this repository');
  });

  it('say what the evidence is', () => {
    expect(evidenceLines(running, NOW)).toEqual(['agent process running in this repository: claude (pid 1234)']);
    expect(evidenceLines(none, NOW)).toEqual(['no agent seen: no agent process in this repository, no session recorded on HEAD, no hook']);
    expect(evidenceLines(userHook, NOW)).toEqual([
      'Claude Code hook installed for every repository (/home/dana/.claude/settings.json): not evidence on its own',
    ]);
    expect(evidenceText({ kind: 'hook', agent: 'cursor', path: '/r/.cursor/hooks.json', repository: true }, NOW)).toBe(
      'Cursor hook installed in this repository (/r/.cursor/hooks.json)',
    );
    const at = NOW / 1000 - 600;
    const clock = new Date(at * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    expect(evidenceText({ kind: 'session', session: 's1', agent: 'claude-code', turn: 3, at }, NOW)).toBe(
      `Claude Code agent session recorded by Redline at ${clock} (turn 3 of s1)`,
    );
    expect(evidenceText({ kind: 'session', session: 's1', agent: null, turn: 1, at: null }, NOW)).toBe('agent session recorded by Redline (turn 1 of s1)');
  });

  it("give uncommitted hunks no agent without evidence, the evidence's agents with it, and leave committed lines alone", () => {
    const uncommitted = hunk({ hunkId: 'u', aiWritten: true, uncommittedLines: 3 });
    const committed = hunk({ hunkId: 'c', aiWritten: true, agents: ['Aider'], aiLines: 2 });
    const human = hunk({ hunkId: 'p', humanLines: 1 });
    expect(withEvidence([uncommitted, committed, human], none).map((h) => [h.hunkId, h.aiWritten, h.agents])).toEqual([
      ['u', false, []],
      ['c', true, ['Aider']],
      ['p', false, []],
    ]);
    expect(withEvidence([uncommitted], null)[0]?.aiWritten).toBe(false);
    expect(withEvidence([uncommitted, committed], running).map((h) => [h.hunkId, h.aiWritten, h.agents])).toEqual([
      ['u', true, ['Claude Code']],
      ['c', true, ['Aider']],
    ]);
  });
});
