/**
 * Parses the RFC 3339 timestamps Docker puts before each log message ("2026-11-21T11:26:11.385343371Z")
 * into milliseconds. Lines arrive by the thousand per second with the same date and second, so the
 * whole-second part is parsed once and reused, and the common case reads the frame's bytes without
 * making a string.
 */
const Z = 90;
const T = 84;
const DOT = 46;
/** "2026-11-21T11:26:11" */
const secondLength = 19;

export class DockerTimestampParser {
  private readonly lastSecond = Buffer.alloc(secondLength);
  private lastSecondMs = NaN;

  /** `text` is the timestamp alone, without the separating space. NaN if it is not one. */
  parse(text: string): number {
    return this.parseBytes(Buffer.from(text, 'latin1'), text.length);
  }

  /** The same for the first `end` bytes of `buf`. */
  parseBytes(buf: Buffer, end: number): number {
    if (end < secondLength + 1 || buf[end - 1] !== Z || buf[10] !== T) return Date.parse(buf.toString('latin1', 0, end));
    if (Number.isNaN(this.lastSecondMs) || buf.compare(this.lastSecond, 0, secondLength, 0, secondLength) !== 0) {
      const ms = Date.parse(`${buf.toString('latin1', 0, secondLength)}Z`);
      if (Number.isNaN(ms)) return NaN;
      buf.copy(this.lastSecond, 0, 0, secondLength);
      this.lastSecondMs = ms;
    }
    let frac = 0;
    if (buf[secondLength] === DOT) {
      // milliseconds: the first three digits of the fraction, padded
      for (let i = secondLength + 1, scale = 100; i < secondLength + 4 && i < end - 1; i++, scale /= 10) {
        const d = buf[i]! - 48;
        if (d < 0 || d > 9) break;
        frac += d * scale;
      }
    }
    return this.lastSecondMs + frac;
  }
}
