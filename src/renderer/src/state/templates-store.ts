import { create } from 'zustand';
import type { Template } from '../../../shared/model';
import type { AppClient } from '../client/app-client';
import { errorMessage } from '../client/client-error';
import { reportError } from './report-error';

interface TemplatesState {
  /** Sorted by name. */
  templates: Template[];
  loaded: boolean;
  error: string | null;
  upsert(template: Template): void;
}

const byName = (a: Template, b: Template) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }) || a.id - b.id;

export const useTemplates = create<TemplatesState>()((set) => ({
  templates: [],
  loaded: false,
  error: null,
  upsert: (template) =>
    set((s) => ({ templates: [...s.templates.filter((t) => t.id !== template.id), template].sort(byName) })),
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
