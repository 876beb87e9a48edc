/** A commit's details as the details dialog words them: subject and body, dates with zones. */
import type { EvidenceKind, PersonTime } from './bindings';

/** The subject (first line) and the body (the rest, blank lines around it trimmed). */
export function splitMessage(message: string): { subject: string; body: string } {
  const [subject = '', ...rest] = message.replace(/\r\n/g, '\n').split('\n');
  return { subject: subject.trim() === '' ? '(no message)' : subject, body: rest.join('\n').replace(/^\n+|\s+$/g, '') };
}

/** `+02:00`, `-05:30`: a time zone as git prints it, minutes east of UTC. */
export function zone(offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const minutes = Math.abs(offsetMinutes);
  return `${sign}${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** The moment as the person wrote it, in their own zone: `2024-05-01 10:00 +02:00`. */
export function personDate(person: PersonTime): string {
  if (person.time === null) return 'unknown date';
  const local = new Date((person.time + person.offsetMinutes * 60) * 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  const date = `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`;
  return `${date} ${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())} ${zone(person.offsetMinutes)}`;
}

const EVIDENCE: Record<EvidenceKind, string> = {
  author: 'author',
  committer: 'committer',
  nameSuffix: 'name',
  trailer: 'trailer',
  footer: 'footer',
  subject: 'subject',
  note: 'provenance note',
};

/** Where a piece of evidence was found, in a word. */
export function evidenceLabel(kind: EvidenceKind): string {
  return EVIDENCE[kind];
}
