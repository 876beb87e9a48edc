import { describe, expect, it } from 'vitest';
import type { AgentSession, Boundary, Turn, TurnSummary } from './bindings';
import { boundaryView, latestSession, messagePreview, turnsNewestFirst } from './turns';

function turn(seq: number, boundary: Boundary, agent: string | null = null): Turn {
  return { session: 's', seq, commit: `c${seq}`, parent: null, boundary, agent, head: null, message: null, skipped: [], takenAt: seq, takenAtMs: seq * 1000 };
}

function summary(t: Turn): TurnSummary {
  return {
    turn: t,
    spec: `turn:${t.seq}@s`,
    target: { kind: 'turn', session: 's', first: t.seq, last: t.seq },
    stats: { files: 0, additions: 0, deletions: 0 },
    files: [],
    notesWritten: 0,
    claimed: [],
  };
}

describe('boundaryView', () => {
  it('names the agent whose hook ended the turn', () => {
    expect(boundaryView(turn(1, 'hook', 'claude-code'))).toMatchObject({ text: 'claude-code', agent: 'claude-code', guess: false });
    expect(boundaryView(turn(1, 'hook')).agent).toBe('agent');
  });
  it('labels an inferred end as a guess', () => {
    const view = boundaryView(turn(1, 'inferred'));
    expect(view.guess).toBe(true);
    expect(view.text).toBe('Inferred (a guess)');
    expect(view.agent).toBeNull();
  });
  it('says a turn was marked by the reviewer or ended by a commit', () => {
    expect(boundaryView(turn(1, 'manual')).text).toBe('Marked');
    expect(boundaryView(turn(1, 'commit')).text).toBe('Commit');
  });
});

describe('latestSession and turnsNewestFirst', () => {
  it('takes the first session (the core lists the most recent first) and lists its turns newest first', () => {
    const recent: AgentSession = { session: 's', agent: null, turns: [1, 2, 3].map((n) => summary(turn(n, 'hook'))) };
    const older: AgentSession = { session: 'old', agent: null, turns: [] };
    expect(latestSession([recent, older])).toBe(recent);
    expect(latestSession([])).toBeNull();
    expect(latestSession(null)).toBeNull();
    expect(turnsNewestFirst(recent).map((t) => t.turn.seq)).toEqual([3, 2, 1]);
    // The session itself is left as it was.
    expect(recent.turns.map((t) => t.turn.seq)).toEqual([1, 2, 3]);
  });
});

describe('messagePreview', () => {
  it('folds the message to its first non-blank line, saying whether more follows', () => {
    expect(messagePreview('Added rate limiting')).toEqual({ line: 'Added rate limiting', more: false });
    expect(messagePreview('\n  Added X  \r\n\r\n- and Y\n')).toEqual({ line: 'Added X', more: true });
    expect(messagePreview('Only this\n\n  \n')).toEqual({ line: 'Only this', more: false });
    expect(messagePreview('  \n ')).toEqual({ line: '', more: false });
  });
});
