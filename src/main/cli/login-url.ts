/** `berth login-url`: a one-time link that signs a browser in. */
import { ensureDataDir } from '../core/data-dir';
import { Auth, readOrCreateToken } from '../server/auth';
import { parseCommandArgs } from './args';
import { writeOut, type Command } from './command';
import { connectionHelp, connectionOptions, dataDirOption, portOption } from './endpoint';

const loginUrlUsage = `Usage: berth login-url [--port <n>] [--data-dir <dir>]

Print a one-time link that signs a browser in (valid 15 minutes).

Options:
${connectionHelp}
  -h, --help          Show this help`;

export const loginUrlCommand: Command = {
  name: 'login-url',
  summary: 'Print a one-time link that signs a browser in (valid 15 minutes)',
  async run(argv, io) {
    const parsed = parseCommandArgs(argv, connectionOptions, loginUrlUsage);
    if (parsed === 'help') {
      await writeOut(io.stdout, `${loginUrlUsage}\n`);
      return 0;
    }
    const port = portOption(parsed, io.env);
    const auth = new Auth(readOrCreateToken(ensureDataDir(dataDirOption(parsed, io.env))));
    await writeOut(io.stdout, `http://127.0.0.1:${port}/login?code=${auth.createLoginCode()}\n`);
    return 0;
  },
};
