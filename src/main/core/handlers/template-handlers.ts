import { BerthError } from '../../../shared/errors';
import type { TemplateService } from '../templates/template-service';
import type { DownloadsFor, HandlersFor } from './handler-types';

export function templateHandlers(templates: TemplateService): HandlersFor<'templates'> {
  return {
    'templates.list': async () => templates.list(),
    'templates.get': async ({ id }) => templates.get(id),
    'templates.create': async (input) => templates.create(input),
    'templates.update': async ({ id, ...input }) => templates.update(id, input),
    'templates.delete': async ({ id }) => templates.delete(id),
    // Filled in by the templates work of issue 6 (stats, YAML import).
    'templates.stats': async () => {
      throw new BerthError('unavailable', 'template statistics are not built yet');
    },
    'templates.import': async () => {
      throw new BerthError('unavailable', 'template import is not built yet');
    },
  };
}

export function templateDownloads(): DownloadsFor<'templates'> {
  return {
    'templates.export': async () => {
      throw new BerthError('unavailable', 'the templates export is not built yet');
    },
  };
}
