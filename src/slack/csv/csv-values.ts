/**
 * How the exports write values: instants in ISO 8601 with the organization's UTC offset (the
 * zone's name is in the column's header), calendar dates as stored, lists joined with "; ".
 */

/** Offsets change on quarter-hour instants at the finest (every zone's rules), so one lookup serves a quarter hour. */
const OFFSET_STEP_MS = 15 * 60_000;

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
 * Formats instants as `2026-12-02T15:04:05.000+01:00` in one time zone. Intl costs microseconds a
 * call, which at 100,000 rows is most of an export, so the offset is looked up once per quarter
 * hour and the rest is arithmetic.
 */
export class IsoInstants {
  private readonly format: Intl.DateTimeFormat;
  private readonly offsets = new Map<number, { text: string; ms: number }>();

  constructor(readonly timeZone: string) {
    this.format = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
  }

  private offsetAt(instant: Date): { text: string; ms: number } {
    const step = Math.floor(instant.getTime() / OFFSET_STEP_MS);
    let offset = this.offsets.get(step);
    if (!offset) {
      const name = this.format.formatToParts(instant).find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
      const text = name === 'GMT' ? '+00:00' : offsetText(name);
      offset = { text, ms: offsetMinutes(text) * 60_000 };
      this.offsets.set(step, offset);
    }
    return offset;
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
