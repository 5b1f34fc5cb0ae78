/**
 * The headless adapter: REST + WebSocket on loopback, built from the contract, plus /live,
 * /ready, /health, the browser login and the built renderer.
 *
 * Every request must name a loopback address in its Host header (no DNS rebinding); every /api
 * request needs the token or the session cookie; cookie-authenticated writes must come from our
 * own origin. Bad input is a 4xx with a message; nothing a client sends can make it answer 500.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { errorBodyOf } from '../../shared/errors';
import { wsPath } from '../../shared/ws-protocol';
import type { Berth } from '../core/berth';
import { Auth, clearedSessionCookie } from './auth';
import { isDownload } from '../../shared/operations';
import { queryObject, readBody, readJsonObject, sendDownload, sendError, sendHtml, sendJson, sendJsonText } from './http-io';
import { loginPage } from './login-page';
import { compileRoutes, matchRoute } from './routes';
import { serveStatic } from './static-files';
import { WebSocketHub } from './websocket';

export interface HttpServerOptions {
  berth: Berth;
  auth: Auth;
  /** 0 picks a free port. */
  port: number;
  /** Folder of the built renderer; null serves the API only. */
  rendererDir: string | null;
  maxBodyBytes?: number;
  onError?: (err: unknown) => void;
}

const loopbackHosts = ['127.0.0.1', 'localhost', '[::1]'];
const securityHeaders = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

export class BerthHttpServer {
  private readonly server: Server;
  private readonly routes = compileRoutes();
  private readonly ws: WebSocketHub;
  private readonly maxBodyBytes: number;
  private port = 0;

  constructor(private readonly options: HttpServerOptions) {
    this.maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
    this.ws = new WebSocketHub(options.berth.service);
    this.server = createServer((req, res) => {
      for (const [k, v] of Object.entries(securityHeaders)) res.setHeader(k, v);
      this.handle(req, res).catch((err) => this.fail(res, err));
    });
    this.server.on('upgrade', (req, socket, head) => this.onUpgrade(req, socket, head));
    // A request Node cannot parse (a body without a length, a broken header) still gets a message.
    this.server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
      if (!socket.writable) return;
      const body = JSON.stringify({ error: { code: 'bad_request', message: `malformed HTTP request (${err.code ?? err.message})` } });
      socket.end(
        `HTTP/1.1 400 Bad Request\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
      );
    });
  }

  /** Listens on 127.0.0.1 only; resolves with the port actually bound. */
  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, '127.0.0.1', () => {
        this.server.off('error', reject);
        this.port = (this.server.address() as AddressInfo).port;
        resolve(this.port);
      });
    });
  }

  close(): Promise<void> {
    this.ws.close();
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private hostAllowed(host: string | undefined): boolean {
    if (!host) return false;
    const h = host.toLowerCase();
    return loopbackHosts.some((name) => h === name || h === `${name}:${this.port}`);
  }

  private originAllowed(origin: string | undefined): boolean {
    return origin !== undefined && loopbackHosts.some((name) => origin.toLowerCase() === `http://${name}:${this.port}`);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!this.hostAllowed(req.headers.host)) {
      return sendError(res, { code: 'forbidden', message: 'the Host header must name this machine\'s loopback address (127.0.0.1 or localhost)' });
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const path = url.pathname;

    if (path === '/live') return sendJson(res, 200, { status: 'alive' });
    if (path === '/ready') {
      const ready = this.options.berth.ready();
      return ready.ok ? sendJson(res, 200, { status: 'ready' }) : sendJson(res, 503, { status: 'not ready', reason: ready.reason });
    }
    if (path === '/health') {
      const report = await this.options.berth.health();
      return sendJson(res, report.status === 'unhealthy' ? 503 : 200, report);
    }
    if (path === '/login') return this.login(req, res, method, url);
    if (path === '/logout' && method === 'POST') {
      res.writeHead(303, { location: '/', 'set-cookie': clearedSessionCookie, 'cache-control': 'no-store' });
      return void res.end();
    }
    if (path === '/api' || path.startsWith('/api/')) return this.api(req, res, method, url);
    if ((method === 'GET' || method === 'HEAD') && this.options.rendererDir) {
      if (serveStatic(this.options.rendererDir, path, res, method === 'HEAD')) return;
    }
    if (!this.options.rendererDir && path === '/') {
      return sendHtml(res, 200, loginPage('Berth is running headless without its built UI. Run `npm run build`, then restart `berth serve`.'));
    }
    sendError(res, { code: 'not_found', message: `nothing at ${path}` });
  }

  private async api(req: IncomingMessage, res: ServerResponse, method: string, url: URL): Promise<void> {
    const byBearer = this.options.auth.checkBearer(req.headers.authorization);
    const byCookie = !byBearer && this.options.auth.checkCookie(req.headers.cookie);
    if (!byBearer && !byCookie) {
      return sendError(
        res,
        { code: 'unauthorized', message: 'send the API token as "Authorization: Bearer <token>" (`berth token` prints it)' },
        { 'www-authenticate': 'Bearer realm="berth"' },
      );
    }
    // The cookie rides along on any request the browser makes; writes must come from our page.
    if (byCookie && method !== 'GET' && method !== 'HEAD' && !this.originAllowed(req.headers.origin)) {
      return sendError(res, { code: 'forbidden', message: 'cross-origin request refused' });
    }
    const match = matchRoute(this.routes, method === 'HEAD' ? 'GET' : method, url.pathname);
    if (match.kind === 'none') return sendError(res, { code: 'not_found', message: `no API route ${method} ${url.pathname}` });
    if (match.kind === 'wrong-method') {
      return sendError(
        res,
        { code: 'method_not_allowed', message: `${method} is not allowed here; use ${match.allowed.join(' or ')}` },
        { allow: match.allowed.join(', ') },
      );
    }
    const body = method === 'GET' || method === 'HEAD' ? {} : await readJsonObject(req, this.maxBodyBytes);
    const input = { ...queryObject(url.searchParams), ...body, ...match.params };
    const { name } = match.route;
    if (isDownload(name)) {
      const download = await this.options.berth.service.download(name, input);
      return sendDownload(req, res, download);
    }
    sendJsonText(res, match.route.status, await this.options.berth.service.callJson(name, input));
  }

  private async login(req: IncomingMessage, res: ServerResponse, method: string, url: URL): Promise<void> {
    const { auth } = this.options;
    let ok = false;
    if (method === 'GET') {
      const code = url.searchParams.get('code');
      if (!code) return sendHtml(res, 200, loginPage());
      ok = auth.redeemLoginCode(code);
    } else if (method === 'POST') {
      const raw = await readBody(req, 8 * 1024);
      ok = auth.checkToken(new URLSearchParams(raw.toString('utf8')).get('token') ?? '');
    } else {
      return sendError(res, { code: 'method_not_allowed', message: 'use GET with a login code or POST the token' }, { allow: 'GET, POST' });
    }
    if (!ok) {
      return sendHtml(res, 401, loginPage('That login link or token is not valid (login links work once, for 15 minutes). Run `berth login-url` for a new link.'));
    }
    res.writeHead(303, { location: '/', 'set-cookie': auth.sessionCookieHeader(false), 'cache-control': 'no-store' });
    res.end();
  }

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const refuse = (status: string) => {
      socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
    };
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== wsPath) return refuse('404 Not Found');
    if (!this.hostAllowed(req.headers.host)) return refuse('403 Forbidden');
    // Browsers always send Origin; scripts without one must use the token.
    const origin = req.headers.origin;
    if (origin !== undefined && !this.originAllowed(origin)) return refuse('403 Forbidden');
    const { auth } = this.options;
    if (!auth.checkBearer(req.headers.authorization) && !auth.checkCookie(req.headers.cookie)) return refuse('401 Unauthorized');
    this.ws.upgrade(req, socket, head);
  }

  private fail(res: ServerResponse, err: unknown): void {
    const error = errorBodyOf(err, this.options.onError);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    sendError(res, error);
  }
}
