/** The part of xterm's IBuffer that reading needs. */
export interface ReadableBuffer {
  readonly length: number;
  getLine(y: number): { readonly isWrapped: boolean; translateToString(trimRight?: boolean): string } | undefined;
}

/** And what locating rows needs. */
export interface LocatableBuffer extends ReadableBuffer {
  readonly baseY: number;
  readonly cursorY: number;
  readonly cursorX: number;
}

/**
 * The buffer's text as the lines that were written: rows xterm wrapped are joined back, and the
 * empty rows below the last line (the cursor's row, unused viewport rows) are left out.
 */
export function readBufferLines(buffer: ReadableBuffer, from = 0, to = buffer.length - 1): string[] {
  const lines: string[] = [];
  for (let y = from; y <= to; y++) {
    const row = buffer.getLine(y);
    if (!row) continue;
    const next = buffer.getLine(y + 1);
    // A row that continues on the next one must keep its trailing spaces.
    const text = row.translateToString(!next?.isWrapped);
    if (row.isWrapped && lines.length > 0) lines[lines.length - 1] += text;
    else lines.push(text);
  }
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/*
 * The pane writes every log line as one terminal line ending in CRLF, so a line starts on each row
 * that is not the continuation of a wrapped one, and the cursor rests at column 0 of the row below
 * the last line. Row 0 always starts a line: when xterm trims its scrollback it may cut a wrapped
 * line in two, and what is left of it counts as that line.
 */

/** The last row holding a written line, or -1 when nothing was written. */
export function lastLineRow(buffer: LocatableBuffer): number {
  const cursorRow = buffer.baseY + buffer.cursorY;
  return buffer.cursorX === 0 ? cursorRow - 1 : cursorRow;
}

const startsLine = (buffer: ReadableBuffer, y: number) => y === 0 || !buffer.getLine(y)?.isWrapped;

/** How many lines the buffer holds (rows 0 to `lastRow`). */
export function countLines(buffer: LocatableBuffer, lastRow = lastLineRow(buffer)): number {
  let count = 0;
  for (let y = 0; y <= lastRow; y++) if (startsLine(buffer, y)) count++;
  return count;
}

/** Which line (0-based from the top of the buffer) row `row` belongs to, and how many rows into it. */
export function lineAtRow(buffer: LocatableBuffer, row: number): { line: number; offset: number } {
  let line = -1;
  let start = 0;
  for (let y = 0; y <= row; y++) {
    if (startsLine(buffer, y)) {
      line++;
      start = y;
    }
  }
  return { line: Math.max(0, line), offset: row - start };
}

/** The row on which line `line` (0-based from the top) starts, or -1 if the buffer holds fewer lines. */
export function rowOfLine(buffer: LocatableBuffer, line: number, lastRow = lastLineRow(buffer)): number {
  let seen = -1;
  for (let y = 0; y <= lastRow; y++) {
    if (startsLine(buffer, y) && ++seen === line) return y;
  }
  return -1;
}
