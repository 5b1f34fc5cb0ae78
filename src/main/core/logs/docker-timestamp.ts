/**
 * Parses the RFC 3339 timestamps Docker puts before each log message ("2026-11-21T11:26:11.385343371Z")
 * into milliseconds. Lines arrive by the thousand per second with the same date and second, so the
 * whole-second part is parsed once and reused.
 */
export class DockerTimestampParser {
  private lastSecondText = '';
  private lastSecondMs = 0;

  /** `text` is the timestamp alone, without the separating space. NaN if it is not one. */
  parse(text: string): number {
    // 2026-11-21T11:26:11 is 19 characters; a fraction and 'Z' may follow.
    if (text.length >= 20 && text.charCodeAt(text.length - 1) === 90 /* Z */ && text.charCodeAt(10) === 84 /* T */) {
      const second = text.slice(0, 19);
      if (second !== this.lastSecondText) {
        const ms = Date.parse(`${second}Z`);
        if (Number.isNaN(ms)) return NaN;
        this.lastSecondText = second;
        this.lastSecondMs = ms;
      }
      let frac = 0;
      if (text.charCodeAt(19) === 46 /* . */) {
        // milliseconds: the first three digits of the fraction, padded
        for (let i = 20, scale = 100; i < 23; i++, scale /= 10) {
          const d = text.charCodeAt(i) - 48;
          if (d < 0 || d > 9) break;
          frac += d * scale;
        }
      }
      return this.lastSecondMs + frac;
    }
    return Date.parse(text);
  }
}
