// Keeps the written word true to the code: every route is documented, and CI runs exactly the
// test command the README gives a newcomer.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { routes } from '../../src/shared/operations';

const root = join(__dirname, '../..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');

describe('docs', () => {
  it('documents every REST route in docs/api.md', () => {
    const doc = read('docs/api.md');
    const missing = Object.values(routes)
      .map((r) => `${r.method} ${r.path}`)
      .filter((route) => !doc.includes(`\`${route}\``));
    expect(missing).toEqual([]);
  });

  it('has .ci/run call exactly the test command the README gives', () => {
    const readme = read('README.md');
    const block = /to run every test[^\n]*\n+```sh\n([^\n]+)\n```/.exec(readme);
    expect(block, 'README must show the test command in a sh block after "to run every test"').not.toBeNull();
    const command = block![1]!.trim();
    expect(command).toBe('npm test');
    const ci = read('.ci/run').split('\n').map((l) => l.trim());
    expect(ci).toContain(command);
  });
});
