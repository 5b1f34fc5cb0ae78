/**
 * Commands with subcommands (`berth jobs list`, `berth templates export`…): the subcommand is
 * the first argument that is neither an option nor an option's value, so connection options
 * may come before it or after.
 */
import { parseCommandArgs, UsageError, type OptionSpec, type ParsedArgs } from './args';
import { writeOut, type CliIo, type Command } from './command';
import { connectionHelp, connectionOptions } from './endpoint';

/** The help line of the `--json` option every list-like subcommand takes. */
export const jsonHelp = '  --json              Print JSON (for scripts) instead of a table';

export interface Subcommand {
  name: string;
  /** `<id>…`, `[--out FILE]`: what follows the name in the usage line. */
  synopsis: string;
  summary: string;
  /** Its own options (the connection options and -h are added). */
  options: readonly OptionSpec[];
  /** Lines describing its options, for its --help. */
  optionsHelp: string;
  maxPositionals: number;
  run(args: ParsedArgs, io: CliIo): Promise<number>;
}

export function groupCommand(name: string, summary: string, subs: readonly Subcommand[]): Command {
  const usage = `Usage: berth ${name} <command> [options]

${summary}, through the Berth running on this machine (\`berth serve\` or the desktop app).

Commands:
${subs.map((s) => `  ${`${s.name} ${s.synopsis}`.padEnd(40)}  ${s.summary}`).join('\n')}

Run \`berth ${name} <command> --help\` for a command's options.`;
  const subUsage = (s: Subcommand) => `Usage: berth ${name} ${s.name} ${s.synopsis}

${s.summary}.

Options:
${s.optionsHelp ? `${s.optionsHelp}\n` : ''}${connectionHelp}
  -h, --help          Show this help`;
  return {
    name,
    summary,
    async run(argv, io) {
      const at = subcommandIndex(argv);
      if (at === -1) {
        const help = argv.includes('--help') || argv.includes('-h');
        await writeOut(help ? io.stdout : io.stderr, `${usage}\n`);
        return help ? 0 : 2;
      }
      const sub = subs.find((s) => s.name === argv[at]);
      if (!sub) throw new UsageError(`unknown command '${name} ${argv[at]}'`, usage);
      const text = subUsage(sub);
      const parsed = parseCommandArgs([...argv.slice(0, at), ...argv.slice(at + 1)], [...sub.options, ...connectionOptions], text, sub.maxPositionals);
      if (parsed === 'help') {
        await writeOut(io.stdout, `${text}\n`);
        return 0;
      }
      try {
        return await sub.run(parsed, io);
      } catch (err) {
        throw err instanceof UsageError && err.usage === undefined ? new UsageError(err.message, text) : err;
      }
    },
  };
}

const valueTaking = new Set(['--port', '--data-dir']);

function subcommandIndex(argv: readonly string[]): number {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (valueTaking.has(arg)) i++;
    else if (!arg.startsWith('-')) return i;
  }
  return -1;
}
