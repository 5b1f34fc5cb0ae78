/**
 * Terminal escape sequences inside log lines: kept in stored messages (the log pane draws the
 * colours) but stripped for what is searched and matched, so `\x1b[31mERROR` is found as "ERROR".
 */

// CSI (colours, cursor moves), OSC (titles, hyperlinks; BEL or ST terminated), other ESC sequences.
const escapeSequence = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[PX^_][^\x1b]*(?:\x1b\\)?|\x1b[ -/]*[0-~]?|\x9b[0-?]*[ -/]*[@-~]/g;

/** The text without escape sequences; a line without ESC (nearly all) is returned as is. */
export function stripAnsi(text: string): string {
  if (text.indexOf('\x1b') === -1 && text.indexOf('\x9b') === -1) return text;
  return text.replace(escapeSequence, '');
}
