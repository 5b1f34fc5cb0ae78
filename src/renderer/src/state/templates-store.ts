import { create } from 'zustand';
import type { Template, TemplateStats } from '../../../shared/model';
import type { AppClient } from '../client/app-client';
import { errorMessage } from '../client/client-error';
import { reportError } from './report-error';

interface TemplatesState {
  /** Sorted by name. */
  templates: Template[];
  loaded: boolean;
  error: string | null;
  /** Usage per template id; empty until templates.stats answers (or while it cannot). */
  stats: Record<number, TemplateStats>;
  upsert(template: Template): void;
  remove(id: number): void;
}

const byName = (a: Template, b: Template) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }) || a.id - b.id;

export const useTemplates = create<TemplatesState>()((set) => ({
  templates: [],
  loaded: false,
  error: null,
  stats: {},
  upsert: (template) =>
    set((s) => ({ templates: [...s.templates.filter((t) => t.id !== template.id), template].sort(byName) })),
  remove: (id) => set((s) => ({ templates: s.templates.filter((t) => t.id !== id) })),
}));

let loadSeq = 0;

export async function loadTemplates(client: AppClient): Promise<void> {
  const seq = ++loadSeq;
  try {
    const templates = await client.request('templates.list', {});
    if (seq === loadSeq) useTemplates.setState({ templates: [...templates].sort(byName), loaded: true, error: null });
  } catch (err) {
    if (seq === loadSeq) useTemplates.setState({ error: errorMessage(err) });
    reportError(err, 'Loading templates failed');
  }
}

/** Usage statistics; a failure leaves the list without them (they are not worth a toast each refresh). */
export async function loadTemplateStats(client: AppClient): Promise<string | null> {
  try {
    const stats = await client.request('templates.stats', {});
    useTemplates.setState({ stats: Object.fromEntries(stats.map((s) => [s.templateId, s])) });
    return null;
  } catch (err) {
    return errorMessage(err);
  }
}
