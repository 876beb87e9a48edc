/**
 * Uncommitted changes, and whether an agent is writing them: the working tree and the index are
 * "uncommitted changes" unless the core found evidence of an agent (a running agent process, a
 * session Redline recorded on HEAD, a Stop hook in the repository's configuration), and the
 * window says which.
 */
import type { AgentEvidence, HunkAuthorship, Target, UncommittedEvidence } from './bindings';

/** Whether `target` is the working tree or the index: changes not committed yet. */
export function isUncommitted(target: Target): boolean {
  return target.kind === 'worktree' || target.kind === 'staged';
}

/** The hook ids the core and the sessions use, as people name the agents. */
const HOOK_AGENTS: Record<string, string> = { 'claude-code': 'Claude Code', codex: 'OpenAI Codex', cursor: 'Cursor' };

function agentName(id: string): string {
  return HOOK_AGENTS[id] ?? id;
}

/** What an uncommitted target is called: "agent session" with evidence, else "uncommitted changes". */
export function uncommittedLabel(evidence: UncommittedEvidence | null): string {
  if (evidence === null || !evidence.agent) return 'uncommitted changes';
  const [first, ...others] = evidence.agents;
  if (first === undefined) return 'agent session';
  return others.length === 0 ? `${first} session` : `${first} +${others.length} session`;
}

/** Clock time "12:03" (local), or with the date when not today. */
function clock(seconds: number, nowMs: number): string {
  const at = new Date(seconds * 1000);
  const time = at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return at.toDateString() === new Date(nowMs).toDateString() ? time : `${at.toLocaleDateString()} ${time}`;
}

/** One piece of evidence in a sentence. */
export function evidenceText(evidence: AgentEvidence, nowMs: number): string {
  switch (evidence.kind) {
    case 'process':
      return `agent process running in this repository: ${evidence.command} (pid ${evidence.pid})`;
    case 'session': {
      const by = evidence.agent === null ? '' : `${agentName(evidence.agent)} `;
      const at = evidence.at === null ? '' : ` at ${clock(evidence.at, nowMs)}`;
      return `${by}agent session recorded by Redline${at} (turn ${evidence.turn} of ${evidence.session})`;
    }
    case 'hook':
      return evidence.repository
        ? `${agentName(evidence.agent)} hook installed in this repository (${evidence.path})`
        : `${agentName(evidence.agent)} hook installed for every repository (${evidence.path}): not evidence on its own`;
  }
}

/** One piece of evidence in a few words, for the list entry's line (the tooltip has the sentence). */
export function evidenceShort(evidence: AgentEvidence): string {
  switch (evidence.kind) {
    case 'process':
      return `${evidence.command} running (pid ${evidence.pid})`;
    case 'session':
      return `turn ${evidence.turn} recorded on HEAD`;
    case 'hook':
      return evidence.repository ? 'hook in this repository' : 'hook for every repository';
  }
}

/** The evidence as lines, the deciding pieces first; a line saying none was found when none was. */
export function evidenceLines(evidence: UncommittedEvidence, nowMs: number): string[] {
  if (evidence.evidence.length === 0) return ['no agent seen: no agent process in this repository, no session recorded on HEAD, no hook'];
  return evidence.evidence.map((piece) => evidenceText(piece, nowMs));
}

/**
 * The hunk authorship of an uncommitted review as the window shows it: the core counts every
 * uncommitted line as an agent's, so without evidence of an agent those hunks get no agent pill
 * (they may be a person's edits), and with it they are named for the agents the evidence names.
 * Lines committed by an agent keep their attribution. `null` evidence (not known yet) shows none.
 */
export function withEvidence(list: readonly HunkAuthorship[], evidence: UncommittedEvidence | null): HunkAuthorship[] {
  const agent = evidence !== null && evidence.agent;
  return list.map((hunk) => {
    const onlyUncommitted = hunk.aiLines === 0 && hunk.agents.length === 0;
    if (!hunk.aiWritten || !onlyUncommitted) return hunk;
    if (!agent) return { ...hunk, aiWritten: false };
    return { ...hunk, agents: [...evidence.agents] };
  });
}
