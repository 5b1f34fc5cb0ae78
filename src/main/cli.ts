/**
 * The `berth` command (the build entry of bin/berth.mjs): `berth serve` runs the same core as the
 * desktop app behind a REST + WebSocket server on 127.0.0.1; the other commands are clients of a
 * running Berth or read its data directory. Each command lives in cli/, one file each.
 */
import { UsageError } from './cli/args';
import { processIo, writeOut, type CliIo, type Command } from './cli/command';
import { CliError, defaultPort } from './cli/endpoint';
import { hostsCommand } from './cli/hosts';
import { jobsCommand } from './cli/jobs';
import { loginUrlCommand } from './cli/login-url';
import { logsCommand } from './cli/logs';
import { serveCommand } from './cli/serve';
import { templatesCommand } from './cli/templates';
import { tokenCommand } from './cli/token';
import { version } from './core/version';

export { defaultPort };
export type { CliIo };

/** In the order `berth --help` lists them. */
export const commands: readonly Command[] = [serveCommand, jobsCommand, logsCommand, templatesCommand, hostsCommand, tokenCommand, loginUrlCommand];

export const usage = `Usage: berth <command> [options]

Commands:
${commands.map((c) => `  ${c.name.padEnd(11)}  ${c.summary}`).join('\n')}

Options:
  --port <n>          Berth's port on 127.0.0.1 (default: BERTH_PORT, else ${defaultPort}; for serve, 0 picks a free one)
  --data-dir <dir>    Where Berth keeps its data (default: BERTH_DATA_DIR, else the platform's app-data folder)
  -h, --help          Show this help; \`berth <command> --help\` shows a command's
  -v, --version       Show the version`;

/** Options that may come before the command and take a value (`berth --port 7421 serve`). */
const leadingValueOptions = new Set(['--port', '--data-dir']);

/** Runs a command; the exit code, or null while `serve` keeps the process alive. */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number | null> {
  try {
    // The command is the first argument that is not an option (or an option's value).
    let index = -1;
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i]!;
      if (arg === '-h' || arg === '--help') return await say(io, usage, 0);
      if (arg === '-v' || arg === '--version') return await say(io, version, 0);
      if (leadingValueOptions.has(arg)) i++;
      else if (!arg.startsWith('-')) {
        index = i;
        break;
      } else if (!/^--(port|data-dir)=/.test(arg)) throw new UsageError(`unknown option ${arg}`);
    }
    if (index === -1) return await say(io, usage, 1);
    const name = argv[index]!;
    const rest = [...argv.slice(0, index), ...argv.slice(index + 1)];
    if (name === 'help') {
      const about = commands.find((c) => c.name === rest[0]);
      return about ? await about.run(['--help'], io) : await say(io, usage, 0);
    }
    const command = commands.find((c) => c.name === name);
    if (!command) throw new UsageError(`unknown command '${name}'`);
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      await writeOut(io.stderr, `berth: ${err.message}\n\n${err.usage ?? usage}\n`);
      return 2;
    }
    if (err instanceof CliError) {
      await writeOut(io.stderr, `berth: ${err.message}\n`);
      return err.exitCode;
    }
    await writeOut(io.stderr, `berth: ${(err as Error)?.message ?? String(err)}\n`);
    return 1;
  }
}

async function say(io: CliIo, text: string, code: number): Promise<number> {
  await writeOut(io.stdout, `${text}\n`);
  return code;
}
