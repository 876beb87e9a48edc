/**
 * A thread's way to the agent and back, as the window words it: sent, received, claimed
 * addressed, and what the thread's placement says about the claim. The facts (when it was sent
 * and received, the claim, where the note is now) come from the core; this only words them and
 * says which actions apply.
 */
import type { PlacedThread, Placement, Thread } from './bindings';

/** Where a thread is on its way to the agent and back. */
export type HandoffStage = 'none' | 'sent' | 'received' | 'claimed';

export function handoffStage(thread: Thread): HandoffStage {
  const handoff = thread.handoff;
  if (handoff === undefined) return 'none';
  if (handoff.claim !== null) return 'claimed';
  if (handoff.deliveredAt !== null) return 'received';
  if (handoff.sentAt !== null) return 'sent';
  return 'none';
}

/** The chip a thread shows for its stage; `null` for a thread never handed over. */
export function handoffChip(stage: HandoffStage): { text: string; title: string } | null {
  switch (stage) {
    case 'none':
      return null;
    case 'sent':
      return { text: 'Sent to agent', title: 'The agent gets it at its next turn (its Stop hook, redline notes --for-agent or MCP)' };
    case 'received':
      return { text: 'Received by agent', title: 'The agent has received this note and has not claimed it addressed yet' };
    case 'claimed':
      return { text: 'Agent claims addressed', title: 'The agent says it addressed this note: check the code, then confirm' };
  }
}

/** What the code under a claimed note says about the claim. */
export interface ClaimEvidence {
  text: string;
  /** The code is as it was when the note was written: the claim is doubtful. */
  warning: boolean;
}

/**
 * The evidence for a claim, from where the note is now: code edited or gone since the note
 * supports it; code unchanged does not.
 */
export function claimEvidence(placement: Placement): ClaimEvidence {
  switch (placement.state) {
    case 'changed':
      return { text: 'The code was changed since the note', warning: false };
    case 'outdated':
      return { text: 'The code was changed since the note (the lines it was written on are gone)', warning: false };
    case 'current':
      return { text: 'The code is unchanged since the note', warning: true };
  }
}

/**
 * The send action a thread offers: "Send to agent" for an open thread never sent, "Send again"
 * once the agent has received it (after a reply, say); none while it waits to be picked up, once
 * the agent claims it addressed (confirm it, or reply to withdraw the claim), or once resolved.
 */
export function sendLabel(thread: Thread): string | null {
  if (thread.resolved) return null;
  const stage = handoffStage(thread);
  if (stage === 'none') return 'Send to agent';
  if (stage === 'received') return 'Send again';
  return null;
}

/** The open must-fix threads not handed to the agent yet: what "Send open must-fix notes" sends. */
export function mustFixToSend(threads: readonly PlacedThread[]): string[] {
  return threads.filter((t) => !t.thread.resolved && t.thread.kind === 'mustFix' && handoffStage(t.thread) === 'none').map((t) => t.thread.id);
}
