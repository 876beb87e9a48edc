import { describe, expect, it } from 'vitest';
import type { Handoff, NoteKind, PlacedThread, Placement, Thread } from './bindings';
import { claimEvidence, handoffChip, handoffStage, mustFixToSend, sendLabel } from './handoff';

function thread(handoff: Partial<Handoff> | undefined, extra: { kind?: NoteKind; resolved?: boolean; id?: string } = {}): Thread {
  return {
    id: extra.id ?? 't1',
    kind: extra.kind ?? 'mustFix',
    resolved: extra.resolved ?? false,
    anchor: { path: 'a.rs', side: 'new', startLine: 1, endLine: 1, hunkId: null, hunkOffset: null, symbol: null, lines: [], before: [], after: [], contextHash: '0' },
    revision: 'a:b',
    notes: [],
    ...(handoff === undefined ? {} : { handoff: { sentAt: null, deliveredAt: null, claim: null, ...handoff } }),
  };
}

const claim = { by: 'claude-code', message: 'Returned an error instead', at: 3, tree: 'abc' };
const current: Placement = { state: 'current', path: 'a.rs', startLine: 1, endLine: 1 };

function placed(t: Thread): PlacedThread {
  return { thread: t, placement: current, html: [], evidence: null };
}

describe('handoffStage', () => {
  it('reads the furthest step: claimed, received, sent, or none', () => {
    expect(handoffStage(thread(undefined))).toBe('none');
    expect(handoffStage(thread({}))).toBe('none');
    expect(handoffStage(thread({ sentAt: 1 }))).toBe('sent');
    expect(handoffStage(thread({ sentAt: 1, deliveredAt: 2 }))).toBe('received');
    expect(handoffStage(thread({ sentAt: 1, deliveredAt: 2, claim }))).toBe('claimed');
  });
  it('counts a claim on a note the agent found by itself (over MCP, never sent)', () => {
    expect(handoffStage(thread({ claim }))).toBe('claimed');
  });
});

describe('handoffChip', () => {
  it('words each stage, and shows nothing for a thread never handed over', () => {
    expect(handoffChip('none')).toBeNull();
    expect(handoffChip('sent')?.text).toBe('Sent to agent');
    expect(handoffChip('received')?.text).toBe('Received by agent');
    expect(handoffChip('claimed')?.text).toBe('Agent claims addressed');
  });
});

describe('claimEvidence', () => {
  it('supports the claim when the code under the note changed or is gone', () => {
    expect(claimEvidence({ state: 'changed', path: 'a.rs', startLine: 1, endLine: 2 })).toEqual({ text: 'The code was changed since the note', warning: false });
    const gone = claimEvidence({ state: 'outdated' });
    expect(gone.warning).toBe(false);
    expect(gone.text).toMatch(/^The code was changed since the note/);
  });
  it('warns when the code is unchanged since the note', () => {
    expect(claimEvidence(current)).toEqual({ text: 'The code is unchanged since the note', warning: true });
  });
});

describe('sendLabel', () => {
  it('offers to send an open thread never sent, and to send again once received', () => {
    expect(sendLabel(thread(undefined))).toBe('Send to agent');
    expect(sendLabel(thread({ sentAt: 1, deliveredAt: 2 }))).toBe('Send again');
  });
  it('offers nothing while the thread waits, once claimed, or once resolved', () => {
    expect(sendLabel(thread({ sentAt: 1 }))).toBeNull();
    expect(sendLabel(thread({ sentAt: 1, deliveredAt: 2, claim }))).toBeNull();
    expect(sendLabel(thread(undefined, { resolved: true }))).toBeNull();
  });
});

describe('mustFixToSend', () => {
  it('picks the open must-fix threads not handed over yet, in order', () => {
    const threads = [
      placed(thread(undefined, { id: 'a' })),
      placed(thread(undefined, { id: 'b', kind: 'question' })),
      placed(thread(undefined, { id: 'c', resolved: true })),
      placed(thread({ sentAt: 1 }, { id: 'd' })),
      placed(thread({}, { id: 'e' })),
    ];
    expect(mustFixToSend(threads)).toEqual(['a', 'e']);
    expect(mustFixToSend([])).toEqual([]);
  });
});
