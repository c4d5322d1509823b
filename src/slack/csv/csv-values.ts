/**
 * How the exports write values: instants in ISO 8601 with the organization's UTC offset (the
 * zone's name is in the column's header), calendar dates as stored, lists joined with "; ".
 */

/** Offsets change on quarter-hour instants at the finest (every zone's rules), so one lookup serves a quarter hour. */
const OFFSET_STEP_MS = 15 * 60_000;
/** A zone changes its offset at most once in a day, so a day whose two ends agree has that offset throughout. */
const DAY_MS = 24 * 60 * 60_000;

/** `+01:00` from Intl's `GMT+01:00` (`GMT` alone for UTC itself). */
function offsetText(longOffset: string): string {
  const match = /^GMT([+-]\d{2}):?(\d{2})?$/.exec(longOffset);
  return match ? `${match[1]}:${match[2] ?? '00'}` : '+00:00';
}

function offsetMinutes(text: string): number {
  const sign = text.startsWith('-') ? -1 : 1;
  const [hours, minutes] = text.slice(1).split(':').map(Number);
  return sign * (hours! * 60 + minutes!);
}

/**
 * Formats instants as `2026-12-02T15:04:05.000+01:00` in one time zone. Intl costs tens of
 * microseconds a call, which at 100,000 rows would be much of an export, so the offset is looked up
 * twice a day (once a quarter hour on the days it changes) and the rest is arithmetic.
 */
export class IsoInstants {
  private readonly format: Intl.DateTimeFormat;
  private readonly offsets = new Map<number, { text: string; ms: number }>();
  /** Each day's offset, or null for a day the zone changes its offset in. */
  private readonly days = new Map<number, { text: string; ms: number } | null>();

  constructor(readonly timeZone: string) {
    this.format = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
  }

  private lookUp(ms: number): { text: string; ms: number } {
    const name = this.format.formatToParts(new Date(ms)).find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
    const text = name === 'GMT' ? '+00:00' : offsetText(name);
    return { text, ms: offsetMinutes(text) * 60_000 };
  }

  /** The offset of the day the instant falls in when the day has one, else of its quarter hour. */
  private offsetAt(instant: Date): { text: string; ms: number } {
    const day = Math.floor(instant.getTime() / DAY_MS);
    let offset = this.days.get(day);
    if (offset === undefined) {
      const start = this.lookUp(day * DAY_MS);
      offset = start.ms === this.lookUp((day + 1) * DAY_MS - 1).ms ? start : null;
      this.days.set(day, offset);
    }
    if (offset) return offset;
    const step = Math.floor(instant.getTime() / OFFSET_STEP_MS);
    let stepped = this.offsets.get(step);
    if (!stepped) this.offsets.set(step, (stepped = this.lookUp(step * OFFSET_STEP_MS)));
    return stepped;
  }

  text(instant: Date | null): string {
    if (instant === null) return '';
    const offset = this.offsetAt(instant);
    // The wall-clock time is the instant moved by the offset, read as if it were UTC.
    return `${new Date(instant.getTime() + offset.ms).toISOString().slice(0, 23)}${offset.text}`;
  }
}

/** A list in one cell. */
export function listCell(values: Iterable<string>): string {
  return [...values].join('; ');
}
