import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const electronNativeDir = '.electron-native';

/**
 * better-sqlite3 in node_modules is built for Node (the tests use it). Unpackaged, Electron loads
 * a copy built for its own ABI by scripts/prepare-electron-native.mjs; a packaged app carries
 * one rebuilt by electron-builder and needs nothing.
 */
export function electronNativeBinding(appPath: string, isPackaged: boolean): string | undefined {
  if (isPackaged) return undefined;
  const file = join(appPath, electronNativeDir, 'better_sqlite3.node');
  if (!existsSync(file)) {
    throw new Error(`${file} is missing: start Berth with \`npm start\`, which builds better-sqlite3 for Electron first`);
  }
  return file;
}
