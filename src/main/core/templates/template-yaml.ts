/**
 * Templates as YAML, to move them between machines or keep them in a repository:
 *
 *   templates:
 *     - name: nightly-backup
 *       image: busybox
 *       command: [sh, -c, ...]
 *       host: build-box        # the host's name: ids differ from one Berth to another
 *       ...                    # every other field in the contract's names
 *
 * Secret values never leave Berth: `secretEnv` is left out of the export altogether (not even
 * its keys with the mask), so an imported template has none until they are set again. Import
 * checks each entry with the contract's own schema, so its messages are the API's.
 */
import { parseDocument, stringify } from 'yaml';
import { describeIssues, requests, type TemplateFields } from '../../../shared/contract';
import { BerthError } from '../../../shared/errors';
import type { Template } from '../../../shared/model';

/** The fields written, in this order; `host` stands for hostId. */
const exported = [
  'name',
  'image',
  'command',
  'entrypoint',
  'workingDir',
  'user',
  'env',
  'cpus',
  'memoryBytes',
  'pidsLimit',
  'network',
  'volumes',
  'labels',
  'pullPolicy',
  'host',
  'timeoutSeconds',
  'retry',
  'schedule',
  'logRetention',
] as const;

/** Read-only fields of an API answer: an entry pasted from one is taken without them. */
const readOnly = ['id', 'createdAt', 'updatedAt', 'nextRuns'];

export function templatesToYaml(templates: readonly Template[], hostName: (id: number) => string | null, now = new Date()): string {
  const entries = templates.map((t) => {
    const host = t.hostId === null ? null : hostName(t.hostId);
    const fields: Record<string, unknown> = { ...t, host };
    return Object.fromEntries(exported.map((key) => [key, fields[key]]));
  });
  const header = `Berth templates, exported ${now.toISOString()}. Secret values are left out: set them again after importing.`;
  return `# ${header}\n${stringify({ templates: entries }, { lineWidth: 0 })}`;
}

export interface ImportEntry {
  /** The entry's name, or `#n` (its place in the list) when it has none. */
  name: string;
  fields: TemplateFields | null;
  error: string | null;
}

/**
 * Each entry checked on its own: one bad entry does not stop the others. Throws bad_request
 * only when the text is not YAML or not a `templates:` list.
 */
export function parseTemplatesYaml(text: string, hostIdOf: (name: string) => number | undefined): ImportEntry[] {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) throw new BerthError('bad_request', `yaml: ${doc.errors[0]!.message}`);
  const root = doc.toJS({ maxAliasCount: 100 }) as unknown;
  const list = Array.isArray(root) ? root : (root as { templates?: unknown } | null)?.templates;
  if (!Array.isArray(list)) throw new BerthError('bad_request', 'yaml: expected a `templates:` list (as the export writes it)');
  return list.map((item: unknown, index): ImportEntry => {
    const fallback = `#${index + 1}`;
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      return { name: fallback, fields: null, error: 'expected a template (a mapping of fields)' };
    }
    const { host, ...rest } = item as Record<string, unknown>;
    for (const key of readOnly) delete rest[key];
    const name = typeof rest.name === 'string' && rest.name.trim() !== '' ? rest.name.trim() : fallback;
    if (host !== undefined && host !== null) {
      if (typeof host !== 'string') return { name, fields: null, error: 'host: expected the name of a host' };
      const hostId = hostIdOf(host);
      if (hostId === undefined) return { name, fields: null, error: `host: no host named '${host}' here (add it, or remove the line to run on any host)` };
      rest.hostId = hostId;
    } else if (host === null && !('hostId' in rest)) {
      rest.hostId = null;
    }
    const parsed = requests['templates.create'].input.safeParse(rest);
    if (!parsed.success) return { name, fields: null, error: describeIssues(parsed.error) };
    return { name: parsed.data.name, fields: parsed.data, error: null };
  });
}
