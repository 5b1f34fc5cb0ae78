/** `berth templates list|export|import`: job templates through the running Berth (secret values never included). */
import { readFileSync, writeFileSync } from 'node:fs';
import { valueOf } from './args';
import { writeOut } from './command';
import { CliError } from './endpoint';
import { printJson, withClient } from './client-session';
import { groupCommand, jsonHelp, type Subcommand } from './subcommands';
import { shellLine, table } from './table';

const list: Subcommand = {
  name: 'list',
  synopsis: '[--json]',
  summary: 'List the templates (secret values shown as ••••)',
  options: [{ name: 'json' }],
  optionsHelp: jsonHelp,
  maxPositionals: 0,
  run: (args, io) =>
    withClient(args, io, async ({ api }) => {
      const templates = await api.get('templates.list', {});
      if (args.flags.has('json')) {
        await printJson(io, templates);
        return 0;
      }
      const hostNames = new Map((await api.get('hosts.list', {})).map((h) => [h.id, h.name] as const));
      const rows = templates.map((t) => [
        String(t.id),
        t.name,
        t.image,
        t.command.length ? shellLine(t.command) : '-',
        t.hostId === null ? 'any' : (hostNames.get(t.hostId) ?? String(t.hostId)),
        t.schedule ? `${t.schedule.cron}${t.schedule.enabled ? '' : ' (off)'}` : '-',
        Object.keys(t.secretEnv).length ? Object.entries(t.secretEnv).map(([k, v]) => `${k}=${v}`).join(' ') : '-',
      ]);
      await writeOut(io.stdout, table(['ID', 'NAME', 'IMAGE', 'COMMAND', 'HOST', 'SCHEDULE', 'SECRETS'], rows));
      return 0;
    }),
};

const exportTemplates: Subcommand = {
  name: 'export',
  synopsis: '[--out FILE]',
  summary: 'Write every template as YAML (secret values left out), to stdout or a file',
  options: [{ name: 'out', short: 'o', takesValue: true }],
  optionsHelp: '  -o, --out <file>    Write to this file instead of stdout',
  maxPositionals: 0,
  run: (args, io) =>
    withClient(args, io, async ({ api }) => {
      const yaml = await api.download('templates.export', {});
      const out = valueOf(args, 'out');
      if (out === undefined) await writeOut(io.stdout, yaml);
      else {
        try {
          writeFileSync(out, yaml);
        } catch (err) {
          throw new CliError(`cannot write ${out}: ${(err as Error).message}`);
        }
      }
      return 0;
    }),
};

const importTemplates: Subcommand = {
  name: 'import',
  synopsis: '<file> [--no-replace] [--json]',
  summary: 'Create templates from YAML as export writes it, replacing those with the same name',
  options: [{ name: 'no-replace' }, { name: 'json' }],
  optionsHelp: `  --no-replace        Refuse templates whose name exists instead of replacing them
  --json              Print what was created, updated and refused as JSON
                      (a file of - reads stdin; secret values must be set again after import)`,
  maxPositionals: 1,
  run: (args, io) =>
    withClient(args, io, async ({ api }) => {
      const file = args.positionals[0];
      if (file === undefined) throw new CliError('name the YAML file to import (or - for stdin)', 2);
      let yaml: string;
      try {
        yaml = readFileSync(file === '-' ? 0 : file, 'utf8');
      } catch (err) {
        throw new CliError(`cannot read ${file}: ${(err as Error).message}`);
      }
      const result = await api.call('templates.import', { yaml, replace: !args.flags.has('no-replace') });
      if (args.flags.has('json')) await printJson(io, result);
      else {
        for (const name of result.created) await writeOut(io.stdout, `created ${name}\n`);
        for (const name of result.updated) await writeOut(io.stdout, `updated ${name}\n`);
        for (const e of result.errors) await writeOut(io.stderr, `berth: ${e.name}: ${e.error}\n`);
      }
      return result.errors.length === 0 ? 0 : 1;
    }),
};

export const templatesCommand = groupCommand('templates', 'List, export and import job templates', [list, exportTemplates, importTemplates]);
