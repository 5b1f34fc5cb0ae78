import { BerthError } from '../../../shared/errors';
import type { EventBus } from '../event-bus';
import type { LogSourceRepository } from '../store/log-source-repository';
import type { TemplateRepository } from '../store/template-repository';
import type { HandlersFor } from './handler-types';

export interface TemplateHandlerDeps {
  templates: TemplateRepository;
  sources: LogSourceRepository;
  bus: EventBus;
  /** A template's log retention changed. */
  onRetentionChange: () => void;
}

export function templateHandlers({ templates, sources, bus, onRetentionChange }: TemplateHandlerDeps): HandlersFor<'templates'> {
  return {
    'templates.list': async () => templates.list(),
    'templates.create': async (input) => {
      if (templates.findByName(input.name)) throw new BerthError('conflict', `a template named '${input.name}' already exists`);
      const template = templates.insert({ ...input, createdAt: Date.now() });
      bus.emit('template.created', template);
      if (Object.keys(template.logRetention).length > 0) onRetentionChange();
      return template;
    },
    'templates.update': async ({ id, ...input }) => {
      const before = templates.get(id);
      if (!before) throw new BerthError('not_found', `template ${id} does not exist`);
      const clash = templates.findByName(input.name);
      if (clash && clash.id !== id) throw new BerthError('conflict', `a template named '${input.name}' already exists`);
      const template = templates.update(id, input);
      // Its jobs' lines carry the template's name as their service name.
      if (before.name !== template.name) sources.renameTemplate(id, template.name);
      if (JSON.stringify(before.logRetention) !== JSON.stringify(template.logRetention)) onRetentionChange();
      bus.emit('template.updated', template);
      return template;
    },
  };
}
