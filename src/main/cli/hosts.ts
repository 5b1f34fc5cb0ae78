/** `berth hosts list|test`: the Docker hosts of the running Berth, and testing connections to them. */
import type { Host } from '../../shared/model';
import { writeOut } from './command';
import { findHost, printJson, withClient } from './client-session';
import { groupCommand, jsonHelp, type Subcommand } from './subcommands';
import { table } from './table';

const stateOf = (h: Host) => (h.enabled ? h.status.state : 'disabled');

const list: Subcommand = {
  name: 'list',
  synopsis: '[--json]',
  summary: 'List the hosts with their state, engine version and jobs',
  options: [{ name: 'json' }],
  optionsHelp: jsonHelp,
  maxPositionals: 0,
  run: (args, io) =>
    withClient(args, io, async ({ api }) => {
      const hosts = await api.get('hosts.list', {});
      if (args.flags.has('json')) {
        await printJson(io, hosts);
        return 0;
      }
      const rows = hosts.map((h) => [
        String(h.id),
        h.name + (h.isDefault ? ' *' : ''),
        h.kind,
        h.address,
        stateOf(h),
        h.status.version ?? '-',
        `${h.running}/${h.slots}`,
        String(h.queued),
        h.status.error ?? '',
      ]);
      await writeOut(io.stdout, table(['ID', 'NAME', 'KIND', 'ADDRESS', 'STATE', 'VERSION', 'RUNNING', 'QUEUED', 'ERROR'], rows));
      return 0;
    }),
};

const test: Subcommand = {
  name: 'test',
  synopsis: '[NAME…] [--json]',
  summary: 'Test the connection to hosts (all when none is named); exits 1 if any is down',
  options: [{ name: 'json' }],
  optionsHelp: jsonHelp,
  maxPositionals: Infinity,
  run: (args, io) =>
    withClient(args, io, async ({ api }) => {
      const hosts = await api.get('hosts.list', {});
      const chosen = args.positionals.length ? args.positionals.map((ref) => findHost(hosts, ref)) : hosts;
      const { results } = await api.call('hosts.test', { ids: chosen.map((h) => h.id) });
      if (args.flags.has('json')) await printJson(io, results);
      else {
        const name = (id: number) => hosts.find((h) => h.id === id)?.name ?? String(id);
        const rows = results.map((r) => [
          name(r.id),
          r.host ? stateOf(r.host) : 'error',
          r.host?.status.version ?? '-',
          r.host?.status.latencyMs != null ? `${r.host.status.latencyMs}ms` : '-',
          r.error ?? r.host?.status.error ?? '',
        ]);
        await writeOut(io.stdout, table(['NAME', 'STATE', 'VERSION', 'LATENCY', 'ERROR'], rows));
      }
      return results.every((r) => r.host?.status.state === 'up') ? 0 : 1;
    }),
};

export const hostsCommand = groupCommand('hosts', 'List Docker hosts and test connections to them', [list, test]);
