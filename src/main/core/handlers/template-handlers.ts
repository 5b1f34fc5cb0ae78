import type { Host } from '../../../shared/model';
import { BerthError } from '../../../shared/errors';
import { secretMask } from '../../../shared/model';
import type { TemplateService } from '../templates/template-service';
import type { TemplateStatsQuery } from '../templates/template-stats';
import { parseTemplatesYaml, templatesToYaml } from '../templates/template-yaml';
import type { DownloadsFor, HandlersFor } from './handler-types';

export interface TemplateHandlerDeps {
  templates: TemplateService;
  stats: TemplateStatsQuery;
  /** Live hosts, to write a template's host by name and read it back. */
  hosts: () => Host[];
  /** Any host's name by id (a removed one's too), null if unknown. */
  hostName: (id: number) => string | null;
}

export function templateHandlers({ templates, stats, hosts }: TemplateHandlerDeps): HandlersFor<'templates'> {
  return {
    'templates.list': async () => templates.list(),
    'templates.get': async ({ id }) => templates.get(id),
    'templates.create': async (input) => templates.create(input),
    'templates.update': async ({ id, ...input }) => templates.update(id, input),
    'templates.delete': async ({ id }) => templates.delete(id),
    'templates.stats': async () => stats.all(),
    'templates.import': async ({ yaml, replace }) => {
      const byName = new Map(hosts().map((h) => [h.name, h.id] as const));
      const result = { created: [] as string[], updated: [] as string[], errors: [] as { name: string; error: string }[] };
      const existing = new Map(templates.list().map((t) => [t.name, t] as const));
      for (const entry of parseTemplatesYaml(yaml, (name) => byName.get(name))) {
        if (!entry.fields) {
          result.errors.push({ name: entry.name, error: entry.error ?? 'not a template' });
          continue;
        }
        const before = existing.get(entry.fields.name);
        try {
          if (!before) {
            templates.create(entry.fields);
            result.created.push(entry.fields.name);
          } else if (!replace) {
            result.errors.push({ name: entry.name, error: `a template named '${entry.name}' already exists (import with replace to update it)` });
          } else {
            // The export leaves secrets out: the ones already set are kept (sent as the mask), new values given win.
            const kept = Object.fromEntries(Object.keys(before.secretEnv).map((k) => [k, secretMask] as const));
            templates.update(before.id, { ...entry.fields, secretEnv: { ...kept, ...entry.fields.secretEnv } });
            result.updated.push(entry.fields.name);
          }
        } catch (err) {
          if (!(err instanceof BerthError)) throw err;
          result.errors.push({ name: entry.name, error: err.message });
        }
      }
      return result;
    },
  };
}

export function templateDownloads({ templates, hostName }: TemplateHandlerDeps): DownloadsFor<'templates'> {
  return {
    'templates.export': async ({ id }) => {
      const all = templates.list();
      const chosen = id ? id.map((one) => all.find((t) => t.id === one) ?? templates.get(one)) : all;
      const text = templatesToYaml(chosen, hostName);
      return {
        filename: 'berth-templates.yaml',
        contentType: 'application/yaml; charset=utf-8',
        encoding: 'utf8',
        body: (async function* () {
          yield text;
        })(),
      };
    },
  };
}
