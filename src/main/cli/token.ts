/** `berth token`: the API token, for scripts. */
import { ensureDataDir } from '../core/data-dir';
import { readOrCreateToken } from '../server/auth';
import { parseCommandArgs } from './args';
import { writeOut, type Command } from './command';
import { connectionOptions, dataDirOption } from './endpoint';

const tokenUsage = `Usage: berth token [--data-dir <dir>]

Print the API token (send it as "Authorization: Bearer <token>"); creates it if there is none yet.

Options:
  --data-dir <dir>    Berth's data directory (default: BERTH_DATA_DIR, else the platform's app-data folder)
  -h, --help          Show this help`;

export const tokenCommand: Command = {
  name: 'token',
  summary: 'Print the API token (send it as "Authorization: Bearer <token>")',
  async run(argv, io) {
    // --port is taken (and ignored) as it always was.
    const parsed = parseCommandArgs(argv, connectionOptions, tokenUsage);
    if (parsed === 'help') {
      await writeOut(io.stdout, `${tokenUsage}\n`);
      return 0;
    }
    await writeOut(io.stdout, `${readOrCreateToken(ensureDataDir(dataDirOption(parsed, io.env)))}\n`);
    return 0;
  },
};
