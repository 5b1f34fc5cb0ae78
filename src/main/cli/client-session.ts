/** What the management commands share: a client of the running Berth, and looking things up by name. */
import type { Host, Template } from '../../shared/model';
import type { ParsedArgs } from './args';
import { UsageError } from './args';
import { ApiClient } from './api-client';
import { writeOut, type CliIo } from './command';
import { CliError, resolveEndpoint, type Endpoint } from './endpoint';

export interface Client {
  api: ApiClient;
  endpoint: Endpoint;
}

/** Runs `fn` with a client, closing its connections after. */
export async function withClient<T>(args: ParsedArgs, io: CliIo, fn: (client: Client) => Promise<T>): Promise<T> {
  const endpoint = resolveEndpoint(args, io.env);
  const api = new ApiClient(endpoint);
  try {
    return await fn({ api, endpoint });
  } finally {
    api.close();
  }
}

export const printJson = (io: CliIo, value: unknown) => writeOut(io.stdout, `${JSON.stringify(value, null, 2)}\n`);

/** A template by its name, or by its id. */
export async function findTemplate(api: ApiClient, ref: string): Promise<Template> {
  const templates = await api.get('templates.list', {});
  const found = templates.find((t) => t.name === ref) ?? (/^\d+$/.test(ref) ? templates.find((t) => t.id === Number(ref)) : undefined);
  if (!found) throw new CliError(`no template named '${ref}' (berth templates list shows them)`);
  return found;
}

/** A host by its name, or by its id. */
export function findHost(hosts: readonly Host[], ref: string): Host {
  const found = hosts.find((h) => h.name === ref) ?? (/^\d+$/.test(ref) ? hosts.find((h) => h.id === Number(ref)) : undefined);
  if (!found) throw new CliError(`no host named '${ref}' (berth hosts list shows them)`);
  return found;
}

/** Job ids from the arguments: positive whole numbers. */
export function jobIds(positionals: readonly string[]): number[] {
  if (positionals.length === 0) throw new UsageError('name at least one job (its number)');
  return positionals.map((p) => {
    const id = /^\d+$/.test(p) ? Number(p) : NaN;
    if (!(id >= 1)) throw new UsageError(`'${p}' is not a job id`);
    return id;
  });
}
