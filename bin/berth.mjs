#!/usr/bin/env node
// The `berth` command: a thin launcher for the built headless entry (out/main/cli.js).
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';

const require = createRequire(import.meta.url);
const entry = new URL('../out/main/cli.js', import.meta.url);
if (!existsSync(entry)) {
  console.error('berth: not built yet; run `npm run build` in the Berth folder first');
  process.exit(1);
}
const { main } = require(entry.pathname);
const code = await main(process.argv.slice(2));
// null: `serve` is running and exits on a signal.
if (code !== null) process.exit(code);
