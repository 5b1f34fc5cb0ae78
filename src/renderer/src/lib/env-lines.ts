/**
 * The env textarea as Docker's `["KEY=value"]` list: blank lines and `#` comments are skipped,
 * everything else is sent as typed so the server's validation message points at the bad line.
 */
export function envLines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.replace(/\r$/, ''))
    .filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#'));
}
