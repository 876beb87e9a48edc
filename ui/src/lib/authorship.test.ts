import { describe, expect, it } from 'vitest';
import type { CommitProvenance, HunkAuthorship, TargetAgents, TargetInfo } from './bindings';
import { agentsByFile, agentsByHunk, hunkAgentLabel, hunkAgentTitle, targetAgent } from './authorship';

function hunk(overrides: Partial<HunkAuthorship>): HunkAuthorship {
  return {
    hunkId: 'h1',
    path: 'src/a.ts',
    aiWritten: false,
    agents: [],
    commits: [],
    aiLines: 0,
    humanLines: 0,
    uncommittedLines: 0,
    fromNote: false,
    ...overrides,
  };
}

function commit(id: string, agent: string | null, kind: 'codingAgent' | 'dependencyBot' = 'codingAgent'): CommitProvenance {
  return {
    id,
    shortId: id.slice(0, 7),
    summary: 's',
    author: 'A <a@x>',
    time: 0,
    attribution: agent === null ? null : { agentId: agent.toLowerCase(), agent, kind, model: null, evidence: [] },
    noteErrors: [],
  };
}

function commitTarget(rev: string): TargetInfo {
  return { target: { kind: 'commit', rev }, spec: rev, title: 't', detail: 'd', time: 0, changedFiles: null, commit: null, upToDateWith: null };
}

describe('hunkAgentLabel', () => {
  it('names the agents of an AI-written hunk, nothing for a human one', () => {
    expect(hunkAgentLabel(hunk({ aiWritten: true, agents: ['Aider'], aiLines: 3 }))).toBe('Aider');
    expect(hunkAgentLabel(hunk({ aiWritten: true, agents: ['Claude Code', 'GitHub Copilot'] }))).toBe('Claude Code + GitHub Copilot');
    expect(hunkAgentLabel(hunk({ humanLines: 4 }))).toBeNull();
  });

  it('calls uncommitted changes an agent session', () => {
    expect(hunkAgentLabel(hunk({ aiWritten: true, uncommittedLines: 2 }))).toBe('agent session');
  });
});

describe('hunkAgentTitle', () => {
  it('counts lines and names commits', () => {
    expect(hunkAgentTitle(hunk({ aiWritten: true, aiLines: 1, humanLines: 2, commits: ['ff05378'], fromNote: true }))).toBe(
      '1 added line written by an AI agent, 2 by a human (ff05378); from a provenance note',
    );
    expect(hunkAgentTitle(hunk({ aiWritten: true, agents: ['Devin'] }))).toBe('changed by an AI agent');
  });
});

describe('agentsByHunk and agentsByFile', () => {
  it('keep only AI-written hunks and gather agents per file', () => {
    const list = [
      hunk({ hunkId: 'a', aiWritten: true, agents: ['Aider'] }),
      hunk({ hunkId: 'b', humanLines: 1 }),
      hunk({ hunkId: 'c', aiWritten: true, agents: ['Aider', 'Devin'] }),
      hunk({ hunkId: 'd', path: 'src/b.ts', aiWritten: true, uncommittedLines: 1 }),
      hunk({ hunkId: 'e', path: 'src/c.ts', humanLines: 1 }),
    ];
    expect([...agentsByHunk(list).keys()]).toEqual(['a', 'c', 'd']);
    expect([...agentsByFile(list)]).toEqual([
      ['src/a.ts', ['Aider', 'Devin']],
      ['src/b.ts', ['agent session']],
    ]);
  });
});

describe('targetAgent', () => {
  const history = [commit('69b58e3aaaa', null), commit('ff05378bbbb', 'Aider'), commit('1234567cccc', 'Dependabot', 'dependencyBot')];

  it('finds a commit target by HEAD or short id', () => {
    expect(targetAgent(commitTarget('HEAD'), history)).toBeNull();
    expect(targetAgent(commitTarget('ff05378'), history)).toEqual({ label: 'Aider', title: 'Written by Aider' });
  });

  it('names no agent for bots, unknown commits and other targets', () => {
    expect(targetAgent(commitTarget('1234567'), history)).toBeNull();
    expect(targetAgent(commitTarget('abcdef0'), history)).toBeNull();
    expect(targetAgent({ ...commitTarget('x'), target: { kind: 'worktree' } }, history)).toBeNull();
    expect(targetAgent(commitTarget('ff05378'), [])).toBeNull();
  });
});

describe('targetAgent of branches and ranges', () => {
  const branch = (name: string): TargetInfo => ({ ...commitTarget('x'), spec: `branch:${name}`, target: { kind: 'branch', name } });
  const byTarget = new Map<string, TargetAgents>([
    ['branch:agent/bulk', { spec: 'branch:agent/bulk', agents: ['Cursor', 'OpenAI Codex'], aiCommits: 2, commits: 3 }],
    ['branch:agent/one', { spec: 'branch:agent/one', agents: ['Claude Code'], aiCommits: 1, commits: 1 }],
    ['branch:maya/csv', { spec: 'branch:maya/csv', agents: [], aiCommits: 0, commits: 1 }],
  ]);

  it('names the main agent and how many others, and says how much they wrote', () => {
    expect(targetAgent(branch('agent/bulk'), [], byTarget)).toEqual({
      label: 'Cursor +1',
      title: '2 of 3 commits written by AI agents (Cursor, OpenAI Codex)',
    });
    expect(targetAgent(branch('agent/one'), [], byTarget)).toEqual({
      label: 'Claude Code',
      title: '1 of 1 commit written by AI agents (Claude Code)',
    });
  });

  it('names no agent for a human branch or one not answered yet', () => {
    expect(targetAgent(branch('maya/csv'), [], byTarget)).toBeNull();
    expect(targetAgent(branch('unknown'), [], byTarget)).toBeNull();
    expect(targetAgent(branch('agent/bulk'), [])).toBeNull();
  });
});
