/** The part of xterm's IBuffer that reading needs. */
export interface ReadableBuffer {
  readonly length: number;
  getLine(y: number): { readonly isWrapped: boolean; translateToString(trimRight?: boolean): string } | undefined;
}

/**
 * The buffer's text as the lines that were written: rows xterm wrapped are joined back, and the
 * empty rows below the last line (the cursor's row, unused viewport rows) are left out.
 */
export function readBufferLines(buffer: ReadableBuffer): string[] {
  const lines: string[] = [];
  for (let y = 0; y < buffer.length; y++) {
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
