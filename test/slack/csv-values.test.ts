import { describe, expect, it } from 'vitest';
import { IsoInstants } from '../../src/slack/csv/csv-values.js';

describe('IsoInstants', () => {
  it("writes instants in ISO 8601 with the zone's offset, on either side of a change of offset", () => {
    const newYork = new IsoInstants('America/New_York');
    // Clocks went forward at 07:00 UTC on 8 March 2026; the day's other instants are read by the quarter hour.
    expect(newYork.text(new Date('2026-03-08T06:59:59.999Z'))).toBe('2026-03-08T01:59:59.999-05:00');
    expect(newYork.text(new Date('2026-03-08T07:00:00.000Z'))).toBe('2026-03-08T03:00:00.000-04:00');
    expect(newYork.text(new Date('2026-07-01T12:00:00.000Z'))).toBe('2026-07-01T08:00:00.000-04:00');
    expect(newYork.text(new Date('2026-12-02T12:34:56.789Z'))).toBe('2026-12-02T07:34:56.789-05:00');
    expect(new IsoInstants('Asia/Kathmandu').text(new Date('2026-12-02T00:00:00.000Z'))).toBe('2026-12-02T05:45:00.000+05:45');
    expect(new IsoInstants('UTC').text(new Date('2026-12-02T00:00:00.000Z'))).toBe('2026-12-02T00:00:00.000+00:00');
    expect(newYork.text(null)).toBe('');
  });
});
