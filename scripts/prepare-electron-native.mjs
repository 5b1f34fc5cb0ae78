// Builds a copy of better-sqlite3's native module for Electron's ABI into .electron-native/,
// leaving node_modules built for Node (the tests and `berth serve` use that one). The Electron
// shell loads the copy through better-sqlite3's `nativeBinding` option. Skips work when the copy
// already matches the installed Electron and better-sqlite3.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const require = createRequire(join(root, 'package.json'));
const outDir = join(root, '.electron-native');
const target = join(outDir, 'better_sqlite3.node');
const stampFile = join(outDir, 'stamp.json');

const electronPkg = join(root, 'node_modules/electron/package.json');
if (!existsSync(electronPkg)) fail('Electron is not installed: run `npm install` first.');
if (!existsSync(join(root, 'node_modules/electron/path.txt'))) {
  fail(
    "Electron's binary was not downloaded (installed with ELECTRON_SKIP_BINARY_DOWNLOAD?).\n" +
      'Fetch it with `node node_modules/electron/install.js`, or run Berth headless with `npm run serve`.',
  );
}
const electronVersion = JSON.parse(readFileSync(electronPkg, 'utf8')).version;
const sqliteDir = join(root, 'node_modules/better-sqlite3');
const sqliteVersion = JSON.parse(readFileSync(join(sqliteDir, 'package.json'), 'utf8')).version;
const stamp = { electron: electronVersion, betterSqlite3: sqliteVersion };

if (existsSync(target) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === JSON.stringify(stamp)) process.exit(0);

console.log(`Building better-sqlite3 ${sqliteVersion} for Electron ${electronVersion} (once per version)…`);
// A scratch app holding a copy of the module's sources, so node_modules keeps its Node build.
const scratch = join(outDir, 'app');
rmSync(scratch, { recursive: true, force: true });
mkdirSync(join(scratch, 'node_modules'), { recursive: true });
cpSync(sqliteDir, join(scratch, 'node_modules/better-sqlite3'), {
  recursive: true,
  filter: (src) => !src.includes(`${join('better-sqlite3', 'build')}`),
});
writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'berth-native', version: '0.0.0', dependencies: { 'better-sqlite3': sqliteVersion } }));

const { rebuild } = require('@electron/rebuild');
try {
  await rebuild({ buildPath: scratch, electronVersion, onlyModules: ['better-sqlite3'], force: true });
} catch (err) {
  fail(`Rebuilding better-sqlite3 for Electron failed (it needs Electron's headers from electronjs.org and a C++ toolchain):\n${err?.message ?? err}`);
}
copyFileSync(join(scratch, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'), target);
rmSync(scratch, { recursive: true, force: true });
writeFileSync(stampFile, JSON.stringify(stamp));
console.log(`Ready: ${target}`);

function fail(message) {
  console.error(`prepare-electron-native: ${message}`);
  process.exit(1);
}
