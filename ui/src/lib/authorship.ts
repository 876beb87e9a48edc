/**
 * Who wrote what, as the review window shows it: an agent pill on AI-written hunks, a marker
 * on files with AI-written hunks, an agent pill on commit, branch and range targets an agent wrote.
 */
import type { CommitProvenance, HunkAuthorship, TargetAgents, TargetInfo } from './bindings';
import { countOf } from './plural';

/** Shown for AI-written changes not committed yet: an agent session's working tree. */
export const SESSION_LABEL = 'agent session';

/** The pill of one hunk: its agents, "agent session" when uncommitted, `null` for human code. */
export function hunkAgentLabel(authorship: HunkAuthorship): string | null {
  if (!authorship.aiWritten) return null;
  if (authorship.agents.length > 0) return authorship.agents.join(' + ');
  return SESSION_LABEL;
}

/** A hover text for a hunk's pill: how many added lines the agent wrote, and in which commits. */
export function hunkAgentTitle(authorship: HunkAuthorship): string {
  const parts: string[] = [];
  if (authorship.aiLines > 0) parts.push(`${authorship.aiLines} added ${authorship.aiLines === 1 ? 'line' : 'lines'} written by an AI agent`);
  if (authorship.uncommittedLines > 0) parts.push(`${authorship.uncommittedLines} uncommitted ${authorship.uncommittedLines === 1 ? 'line' : 'lines'} of an agent session`);
  if (authorship.humanLines > 0) parts.push(`${authorship.humanLines} by a human`);
  if (parts.length === 0) parts.push('changed by an AI agent');
  let title = parts.join(', ');
  if (authorship.commits.length > 0) title += ` (${authorship.commits.join(', ')})`;
  if (authorship.fromNote) title += '; from a provenance note';
  return title;
}

/** Pill labels by hunk id, for the AI-written hunks only. */
export function agentsByHunk(list: readonly HunkAuthorship[]): Map<string, HunkAuthorship> {
  return new Map(list.filter((a) => hunkAgentLabel(a) !== null).map((a) => [a.hunkId, a]));
}

/** The agents of each file's AI-written hunks (in order of first appearance), by display path. */
export function agentsByFile(list: readonly HunkAuthorship[]): Map<string, string[]> {
  const files = new Map<string, string[]>();
  for (const authorship of list) {
    const label = hunkAgentLabel(authorship);
    if (label === null) continue;
    const agents = files.get(authorship.path) ?? [];
    const names = authorship.agents.length > 0 ? authorship.agents : [label];
    for (const name of names) if (!agents.includes(name)) agents.push(name);
    files.set(authorship.path, agents);
  }
  return files;
}

/** An agent pill on a target: its text and what hovering it says. */
export interface TargetPill {
  label: string;
  title: string;
}

/**
 * The AI agents that wrote a target: a commit target's from HEAD's history (newest first), a
 * branch's or a range's from `byTarget` (by spec). `null` for uncommitted targets, human
 * commits, dependency bots, commits the history does not reach and targets not answered yet.
 */
export function targetAgent(
  info: TargetInfo,
  history: readonly CommitProvenance[],
  byTarget: ReadonlyMap<string, TargetAgents> = new Map(),
): TargetPill | null {
  if (info.target.kind === 'branch' || info.target.kind === 'range') {
    const agents = byTarget.get(info.spec);
    const [first, ...others] = agents?.agents ?? [];
    if (agents === undefined || first === undefined) return null;
    return {
      label: others.length === 0 ? first : `${first} +${others.length}`,
      title: `${agents.aiCommits} of ${countOf(agents.commits, 'commit', 'commits')} written by AI agents (${agents.agents.join(', ')})`,
    };
  }
  if (info.target.kind !== 'commit') return null;
  const rev = info.target.rev;
  const commit = rev === 'HEAD' ? history[0] : history.find((c) => rev.length >= 4 && c.id.startsWith(rev.toLowerCase()));
  const attribution = commit?.attribution;
  if (attribution === undefined || attribution === null || attribution.kind !== 'codingAgent') return null;
  return { label: attribution.agent, title: `Written by ${attribution.agent}` };
}
