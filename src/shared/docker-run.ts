/**
 * A job's spec as the `docker run` command that would start the same container, for "Copy as
 * docker run". Secret values are never known here: each secret is passed as `-e NAME=$NAME`, so
 * the shell takes it from the environment of whoever runs the line.
 */
import type { RunSpec } from './model';

/** Quotes a word for a POSIX shell when it needs it. */
export function shellQuote(word: string): string {
  if (word !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

export function dockerRunCommand(spec: RunSpec, options: { name?: string } = {}): string {
  const args: string[] = ['docker', 'run', '--rm'];
  if (options.name) args.push('--name', shellQuote(options.name));
  if (spec.pullPolicy !== 'if-missing') args.push(`--pull=${spec.pullPolicy}`);
  // --entrypoint takes one program; the rest of an entrypoint goes before the command.
  const [program, ...entryArgs] = spec.entrypoint ?? [];
  if (spec.entrypoint !== null) args.push('--entrypoint', shellQuote(program ?? ''));
  if (spec.workingDir !== null) args.push('-w', shellQuote(spec.workingDir));
  if (spec.user !== null) args.push('-u', shellQuote(spec.user));
  for (const [k, v] of Object.entries(spec.env)) args.push('-e', shellQuote(`${k}=${v}`));
  // "$NAME" in double quotes: the shell expands it, so the value never sits in the copied text.
  for (const k of Object.keys(spec.secretEnv)) args.push('-e', `"${k}=$${k}"`);
  if (spec.cpus !== null) args.push(`--cpus=${spec.cpus}`);
  if (spec.memoryBytes !== null) args.push(`--memory=${spec.memoryBytes}b`);
  if (spec.pidsLimit !== null) args.push(`--pids-limit=${spec.pidsLimit}`);
  if (spec.network !== null) args.push(`--network=${shellQuote(spec.network)}`);
  for (const v of spec.volumes) args.push('-v', shellQuote(v));
  for (const [k, v] of Object.entries(spec.labels)) args.push('-l', shellQuote(`${k}=${v}`));
  args.push(shellQuote(spec.image));
  for (const word of [...entryArgs, ...spec.command]) args.push(shellQuote(word));
  return args.join(' ');
}
