// The core must run under plain Node (`berth serve`, tests): nothing under src/main/core may
// load Electron, not even for types, so the headless build can never grow a dependency on it.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const coreDir = dirname(fileURLToPath(import.meta.url));
const sourceFile = /\.(?:ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;

// Spelled in two halves so this file's own samples and patterns never match themselves.
const E = ['elec', 'tron'].join('');
/** The module name or a subpath of it, between matching quotes of any style. */
const spec = String.raw`(['"\x60])${E}(?:/[^'"\x60\s]*)?\1`;

const patterns: { kind: string; re: RegExp }[] = [
  // import x from / import { x } from / import type … from / export … from, across lines too
  { kind: 'import/export from', re: new RegExp(String.raw`\bfrom\s*${spec}`) },
  // a bare import, for side effects
  { kind: 'bare import', re: new RegExp(String.raw`\bimport\s*${spec}`) },
  // require(…), dynamic import(…), and TypeScript's import x = require(…)
  { kind: 'require/import()', re: new RegExp(String.raw`\b(?:require|import)\s*\(\s*${spec}\s*\)`) },
  // a triple-slash types reference
  { kind: 'type reference', re: new RegExp(String.raw`<reference\s+types\s*=\s*${spec}`) },
];

/** What in `source` loads Electron, one entry per match, with its line number. */
function electronImports(source: string): string[] {
  const found: string[] = [];
  for (const { kind, re } of patterns) {
    const global = new RegExp(re.source, 'g');
    for (const m of source.matchAll(global)) {
      const line = source.slice(0, m.index).split('\n').length;
      found.push(`line ${line}: ${kind}: ${m[0].replace(/\s+/g, ' ')}`);
    }
  }
  return found;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return entry.isFile() && sourceFile.test(entry.name) ? [path] : [];
  });
}

describe('the core does not import Electron', () => {
  it('flags every way of loading Electron (self-check of the detector)', () => {
    const bad = [
      `import { app } from '${E}';`,
      `import { app } from "${E}";`,
      `import type { BrowserWindow } from '${E}';`,
      `import ${E}, { ipcMain } from "${E}/main";`,
      `import * as e from '${E}/renderer'`,
      `import {\n  app,\n  shell,\n} from\n  '${E}';`,
      `import '${E}';`,
      `import"${E}/main"`,
      `export { app } from '${E}';`,
      `export * from "${E}/common";`,
      `export type { App } from '${E}'`,
      `const { app } = require('${E}');`,
      `const e = require ( "${E}/main" )`,
      `import e = require('${E}');`,
      `const e = await import('${E}');`,
      `const e = await import(\`${E}/main\`);`,
      `/// <reference types="${E}" />`,
    ];
    for (const sample of bad) expect(electronImports(sample), sample).not.toEqual([]);
  });

  it('does not flag look-alikes (self-check of the detector)', () => {
    const fine = [
      `// runs without ${E}: the core is plain Node`,
      `const name = '${E}App';`,
      `import x from '${E}-store-like-but-not';`,
      `import { fromElectron } from './${E}-free';`,
      `const s = "the ${E} shell";`,
    ];
    for (const sample of fine) expect(electronImports(sample), sample).toEqual([]);
  });

  it('finds the core’s sources to check', () => {
    const files = sourceFiles(coreDir).map((f) => relative(coreDir, f));
    // If the walk found nothing, the real check below would pass vacuously.
    expect(files).toEqual(expect.arrayContaining(['berth.ts', 'service.ts', join('logs', 'line-assembler.ts')]));
    expect(files.length).toBeGreaterThan(10);
  });

  it('has no file under src/main/core that loads Electron', () => {
    const offenders = sourceFiles(coreDir).flatMap((file) =>
      electronImports(readFileSync(file, 'utf8')).map((hit) => `${relative(coreDir, file)} ${hit}`),
    );
    expect(offenders).toEqual([]);
  });
});
