/**
 * An agent session's timeline as the window words it: what ended each turn (the agent's hook,
 * the reviewer, a commit, or a guess), the turns newest first, and the agent's message folded to
 * one line. The turns, their stats and claims come computed from the core.
 */
import type { AgentSession, Turn, TurnSummary } from './bindings';

/** How a turn's end reads: a label, a tooltip, and whether it is a guess. */
export interface BoundaryView {
  text: string;
  title: string;
  /** The agent whose Stop hook ended the turn (shown as its pill). */
  agent: string | null;
  /** Nothing reported this end: it was inferred from a quiet working tree. */
  guess: boolean;
}

export function boundaryView(turn: Turn): BoundaryView {
  switch (turn.boundary) {
    case 'hook': {
      const agent = turn.agent ?? 'agent';
      return { text: agent, title: `Ended by ${agent}'s Stop hook`, agent, guess: false };
    }
    case 'manual':
      return { text: 'Marked', title: 'Marked by the reviewer (Mark turn, or redline snapshot)', agent: null, guess: false };
    case 'commit':
      return { text: 'Commit', title: 'Ended by a commit', agent: null, guess: false };
    case 'inferred':
      return {
        text: 'Inferred (a guess)',
        title: 'No hook reported this turn: its end is a guess, from a quiet moment of the working tree',
        agent: null,
        guess: true,
      };
  }
}

/** The most recent session (the core lists the most recent first); `null` when there is none. */
export function latestSession(sessions: readonly AgentSession[] | null): AgentSession | null {
  return sessions?.[0] ?? null;
}

/** A session's turns, newest first (the core gives them oldest first). */
export function turnsNewestFirst(session: AgentSession): TurnSummary[] {
  return [...session.turns].reverse();
}

/** The agent's message folded: its first non-blank line, and whether there is more to unfold. */
export function messagePreview(message: string): { line: string; more: boolean } {
  const lines = message.split(/\r?\n/);
  const index = lines.findIndex((line) => line.trim() !== '');
  if (index < 0) return { line: '', more: false };
  const line = (lines[index] ?? '').trim();
  const rest = lines.slice(index + 1).some((l) => l.trim() !== '');
  return { line, more: rest };
}
