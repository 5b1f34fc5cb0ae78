// The window's security settings and the renderer's CSP, which no Electron binary here can show
// at run time: a change that loosens them fails this test.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { contentSecurityPolicy } from '../server/static-files';

const created: { webPreferences?: Record<string, unknown> }[] = [];
vi.mock('electron', () => ({
  BrowserWindow: class {
    webContents = {};
    constructor(options: { webPreferences?: Record<string, unknown> }) {
      created.push(options);
    }
    once() {}
    loadURL() {
      return Promise.resolve();
    }
  },
}));

const { createMainWindow } = await import('./main-window');

const directives = (csp: string) =>
  new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));

describe('the main window', () => {
  it('isolates the renderer: context isolation, sandbox, no Node, web security, our preload', () => {
    createMainWindow();
    const prefs = created.at(-1)!.webPreferences!;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    expect(prefs.nodeIntegrationInWorker).not.toBe(true);
    expect(String(prefs.preload)).toMatch(/preload[/\\]index\.js$/);
  });
});

describe('the renderer CSP', () => {
  const html = readFileSync(join(__dirname, '../../renderer/index.html'), 'utf8');
  const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];

  it('is set in the page (what Electron loads from file://)', () => {
    expect(meta).toBeDefined();
  });

  for (const [where, csp] of [
    ['page', () => meta!],
    ['HTTP header', () => contentSecurityPolicy],
  ] as const) {
    it(`allows only our own scripts and connections (${where})`, () => {
      const d = directives(csp());
      expect(d.get('default-src')).toEqual(["'self'"]);
      expect(d.get('script-src')).toEqual(["'self'"]);
      expect(d.get('connect-src')).toEqual(["'self'"]);
      expect(d.get('object-src')).toEqual(["'none'"]);
      expect(csp()).not.toMatch(/unsafe-eval|\*/);
    });
  }

  it('says the same in the page as in the header, but for what only a header can say', () => {
    const page = directives(meta!);
    const header = directives(contentSecurityPolicy);
    header.delete('frame-ancestors');
    expect(page).toEqual(header);
  });
});
