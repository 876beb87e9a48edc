import { describe, expect, it } from 'vitest';
import { evidenceLabel, personDate, splitMessage, zone } from './commitDetails';

describe('commit details', () => {
  it('split the message into subject and body', () => {
    expect(splitMessage('Retry uploads\n\nThree times.\n\nCo-authored-by: Claude <noreply@anthropic.com>\n')).toEqual({
      subject: 'Retry uploads',
      body: 'Three times.\n\nCo-authored-by: Claude <noreply@anthropic.com>',
    });
    expect(splitMessage('Fix\r\n\r\nBody\r\n')).toEqual({ subject: 'Fix', body: 'Body' });
    expect(splitMessage('')).toEqual({ subject: '(no message)', body: '' });
  });

  it("show a person's time in their own zone, as git does", () => {
    expect(zone(120)).toBe('+02:00');
    expect(zone(-330)).toBe('-05:30');
    expect(zone(0)).toBe('+00:00');
    expect(personDate({ name: 'D', email: 'd@x', time: 1_714_550_400, offsetMinutes: 120 })).toBe('2024-05-01 10:00 +02:00');
    expect(personDate({ name: 'L', email: 'l@x', time: 1_714_660_200, offsetMinutes: -300 })).toBe('2024-05-02 09:30 -05:00');
    expect(personDate({ name: 'L', email: 'l@x', time: null, offsetMinutes: 0 })).toBe('unknown date');
  });

  it('name where evidence was found', () => {
    expect(evidenceLabel('trailer')).toBe('trailer');
    expect(evidenceLabel('note')).toBe('provenance note');
  });
});
