import type { LogEntry, LogLevel, LogLine } from '../../../shared/model';

const reset = '\x1b[0m';
/** errors (stderr, or a JSON line's own level): red. */
const errorStyle = '\x1b[31m';
const warnStyle = '\x1b[33m';
const debugStyle = '\x1b[90m';
/** Berth's own lines (system, manager): dim italic cyan, so they read as annotations. */
const systemStyle = '\x1b[2;3;36m';
/** Timestamps and the wrap-off ellipsis. */
const dimStyle = '\x1b[90m';
/** The line a link pointed at ("open at line"): a 24-bit background the whole row wide. */
export const highlightBackground = { r: 0x3a, g: 0x33, b: 0x12 };
const highlightStyle = `\x1b[48;2;${highlightBackground.r};${highlightBackground.g};${highlightBackground.b}m`;
const eraseToEnd = '\x1b[K';

// Any C0/C1 control or ESC; lines without one (nearly all) skip the sanitizer.
const controlChars = /[\x00-\x08\x0a-\x1f\x7f-\x9f]/;
const escapeOrControl =
  /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[PX^_][^\x1b]*(?:\x1b\\)?|\x1b[ -/]*[0-~]?|[\x00-\x08\x0a-\x1f\x7f-\x9f]/g;

/**
 * Keeps colours (SGR), drops every other control sequence: a container that clears the screen,
 * moves the cursor or sets the title must not rewrite lines above its own. Every log line stays
 * one terminal line (the pane maps rows to line ids by that): a stray newline shows as ↵, and
 * of a line with carriage returns (a progress bar) only what a terminal would leave, the last part.
 */
export function sanitizeMessage(message: string): string {
  if (!controlChars.test(message)) return message;
  let text = message;
  if (text.includes('\r')) {
    text = text.replace(/\r+$/, '');
    text = text.slice(text.lastIndexOf('\r') + 1);
  }
  return text.replace(escapeOrControl, keepSafe);
}

function keepSafe(seq: string): string {
  if (seq === '\n') return '↵';
  return seq.startsWith('\x1b[') && seq.endsWith('m') ? seq : '';
}

export interface LineFormat {
  /** Prefix each line with its local date and time. */
  timestamps?: boolean;
  /** Wrap off: cut each line to this many terminal cells (with an ellipsis), so it fills one row. */
  maxCells?: number;
  /** Draw the line on the highlight background (the target of a link). */
  highlight?: boolean;
  /** A source label in front (the merged view): already styled, and its width in cells. */
  label?: { text: string; cells: number };
}

type FormattableLine = Pick<LogLine, 'message' | 'source' | 'isStdErr'> & Partial<Pick<LogLine, 'level' | 'timestamp'>>;

function styleOf(line: FormattableLine): string {
  if (line.source !== 'container') return systemStyle;
  if (line.isStdErr || line.level === 'error') return errorStyle;
  if (line.level === 'warn') return warnStyle;
  if (line.level === 'debug') return debugStyle;
  return '';
}

/** One line as written to the terminal: styled, reset, and terminated (convertEol is off). */
export function formatLogLine(line: FormattableLine, format: LineFormat = {}): string {
  let prefix = '';
  let prefixCells = 0;
  if (format.label) {
    prefix += format.label.text;
    prefixCells += format.label.cells;
  }
  if (format.timestamps && line.timestamp !== undefined) {
    const time = formatLineTime(line.timestamp);
    prefix += `${dimStyle}${time}${reset} `;
    prefixCells += time.length + 1;
  }
  let message = sanitizeMessage(line.message);
  if (format.maxCells !== undefined) message = truncateCells(message, Math.max(1, format.maxCells - prefixCells));
  const style = styleOf(line);
  if (format.highlight) {
    // The highlight background must survive the message's own resets; SGR 0 inside becomes "0;bg".
    const keepBg = message.replace(/\x1b\[(0?)m/g, `${reset}${highlightStyle}`);
    return `${highlightStyle}${eraseToEnd}${prefix.replaceAll(reset, reset + highlightStyle)}${style}${keepBg}${eraseToEnd}${reset}\r\n`;
  }
  return `${prefix}${style}${message}${reset}\r\n`;
}

const two = (n: number) => String(n).padStart(2, '0');

/** `2026-11-23 10:04:05.123` in local time: sortable, and the same width on every line. */
export function formatLineTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

const sgr = /^\x1b\[[0-9;:]*m/;

/**
 * Cuts a (sanitized) message to at most `max` terminal cells, ending in a dim "…" when cut.
 * Colour sequences take no cells; wide characters (CJK, most emoji) take two, combining marks none,
 * a tab moves to the next multiple of 8.
 */
export function truncateCells(text: string, max: number): string {
  if (text.length <= max && !/[\t\u1100-\uffff\ud800-\udfff]/.test(text)) return text;
  let cells = 0;
  let out = '';
  let i = 0;
  while (i < text.length) {
    if (text.charCodeAt(i) === 0x1b) {
      const seq = sgr.exec(text.slice(i, i + 64));
      if (seq) {
        out += seq[0];
        i += seq[0].length;
        continue;
      }
    }
    const cp = text.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    const width = cp === 9 ? 8 - (cells % 8) : cellWidth(cp);
    if (cells + width > max) {
      // Room for the ellipsis: drop characters until it fits.
      return cutForEllipsis(out, cells, max) + `${dimStyle}…${reset}`;
    }
    out += ch;
    cells += width;
    i += ch.length;
  }
  return out;
}

/** `out` is `cells` wide and must shrink to `max - 1` cells to leave room for "…". */
function cutForEllipsis(out: string, cells: number, max: number): string {
  const chars = [...out];
  while (cells > max - 1 && chars.length > 0) {
    const last = chars.pop()!;
    cells -= last === '\t' ? 1 : cellWidth(last.codePointAt(0)!);
  }
  return chars.join('');
}

/** Terminal cells a code point takes: 0 for combining marks, 2 for wide characters, else 1. */
export function cellWidth(cp: number): number {
  if ((cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0xfe00 && cp <= 0xfe0f)) return 0;
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  )
    return 2;
  return 1;
}

/** A stored entry in the shape the live stream uses. */
export function entryToLine(entry: LogEntry): LogLine {
  return {
    id: entry.id,
    timestamp: entry.timestamp,
    level: entry.level,
    source: entry.source.type,
    isStdErr: entry.isStdErr,
    message: entry.message,
  };
}

export const levelLabels: Record<LogLevel, string> = { debug: 'Debug', info: 'Info', warn: 'Warn', error: 'Error' };
