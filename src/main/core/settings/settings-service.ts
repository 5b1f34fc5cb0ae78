/**
 * Berth's settings: stored one JSON value per key, defaults in the code, validated by the
 * contract before they get here. Changes are announced and handed to whoever applies them.
 */
import type { ParsedInput } from '../../../shared/contract';
import { defaultSettings, type Settings } from '../../../shared/model';
import type { EventBus } from '../event-bus';
import type { Db } from '../store/database';

export class SettingsService {
  private readonly read;
  private readonly write;
  private readonly listeners = new Set<(settings: Settings) => void>();

  constructor(
    db: Db,
    private readonly bus: EventBus,
  ) {
    this.read = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?');
    this.write = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  }

  get(): Settings {
    const stored = this.read.get('logs');
    const logs = stored ? { ...defaultSettings.logs, ...(JSON.parse(stored.value) as Partial<Settings['logs']>) } : defaultSettings.logs;
    return { logs };
  }

  update(patch: ParsedInput<'settings.update'>): Settings {
    const current = this.get();
    const next: Settings = { logs: { ...current.logs, ...stripUndefined(patch.logs ?? {}) } };
    this.write.run('logs', JSON.stringify(next.logs));
    for (const listener of this.listeners) listener(next);
    this.bus.emit('settings.updated', next);
    return next;
  }

  onChange(listener: (settings: Settings) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
