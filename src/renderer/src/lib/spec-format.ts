import { shellQuote } from '../../../shared/docker-run';

const mib = 1024 * 1024;
const gib = 1024 * mib;

/** Memory as a person sets it: "512 MiB", "1.5 GiB"; odd sizes keep their bytes. */
export function formatMemory(bytes: number): string {
  if (bytes >= gib && inHundredths(bytes / gib)) return `${trim(bytes / gib)} GiB`;
  if (bytes >= mib && inHundredths(bytes / mib)) return `${trim(bytes / mib)} MiB`;
  return `${bytes.toLocaleString('en-US')} bytes`;
}

const inHundredths = (n: number) => Math.abs(n * 100 - Math.round(n * 100)) < 1e-6;
const trim = (n: number) => String(Math.round(n * 100) / 100);

/** An argv as the shell line that gives it. */
export function formatArgv(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ');
}
