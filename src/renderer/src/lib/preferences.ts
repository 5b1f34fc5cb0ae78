/** Small view preferences kept in the browser (or the Electron window's) local storage. */
export interface Preferences {
  timestamps: boolean;
  wrap: boolean;
}

const key = 'berth.preferences';
const defaults: Preferences = { timestamps: false, wrap: true };

export function readPreferences(): Preferences {
  try {
    const stored = JSON.parse(localStorage.getItem(key) ?? '{}') as Partial<Preferences>;
    return {
      timestamps: typeof stored.timestamps === 'boolean' ? stored.timestamps : defaults.timestamps,
      wrap: typeof stored.wrap === 'boolean' ? stored.wrap : defaults.wrap,
    };
  } catch {
    return { ...defaults };
  }
}

export function savePreferences(patch: Partial<Preferences>): void {
  try {
    localStorage.setItem(key, JSON.stringify({ ...readPreferences(), ...patch }));
  } catch {
    // Storage may be full or off; the preference just does not stick.
  }
}
