import type { LogEntry, LogLine } from '../../../shared/model';

const reset = '\x1b[0m';
/** stderr: red. */
const stderrStyle = '\x1b[31m';
/** Berth's own lines (system, manager): dim italic cyan, so they read as annotations. */
const systemStyle = '\x1b[2;3;36m';

// Any C0/C1 control or ESC; lines without one (nearly all) skip the sanitizer.
const controlChars = /[\x00-\x08\x0a-\x1f\x7f-\x9f]/;
const escapeOrControl =
  /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[PX^_][^\x1b]*(?:\x1b\\)?|\x1b[ -/]*[0-~]?|[\x00-\x08\x0a-\x1f\x7f-\x9f]/g;

/**
 * Keeps colours (SGR) and carriage returns, drops every other control sequence: a container that
 * clears the screen, moves the cursor or sets the title must not rewrite lines above its own.
 * A stray newline becomes CRLF, since the terminal does not convert it.
 */
export function sanitizeMessage(message: string): string {
  if (!controlChars.test(message)) return message;
  return message.replace(escapeOrControl, keepSafe);
}

function keepSafe(seq: string): string {
  if (seq === '\r') return seq;
  if (seq === '\n') return '\r\n';
  return seq.startsWith('\x1b[') && seq.endsWith('m') ? seq : '';
}

/** One line as written to the terminal: styled, reset, and terminated (convertEol is off). */
export function formatLogLine(line: Pick<LogLine, 'message' | 'source' | 'isStdErr'>): string {
  const message = sanitizeMessage(line.message);
  if (line.source !== 'container') return `${systemStyle}${message}${reset}\r\n`;
  if (line.isStdErr) return `${stderrStyle}${message}${reset}\r\n`;
  return `${message}${reset}\r\n`;
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
