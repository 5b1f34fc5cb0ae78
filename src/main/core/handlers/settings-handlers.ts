import type { SettingsService } from '../settings/settings-service';
import type { HandlersFor } from './handler-types';

export function settingsHandlers(settings: SettingsService): HandlersFor<'settings'> {
  return {
    'settings.get': async () => settings.get(),
    'settings.update': async (patch) => settings.update(patch),
  };
}
