// `briefing preview`: a web page on this machine that shows the pack as the reader will see it,
// rebuilt in this warm process whenever a file of the pack or the template folder changes.
//
// What it may do is narrow (docs/security.md): it listens on 127.0.0.1 only; it answers only
// requests whose Host is that address (or `localhost`) and its port, so a web page elsewhere
// cannot reach it through DNS rebinding; it serves its own page, the renders it makes and the
// font and picture files those renders use (by opaque ids, never by path), and nothing else; it
// takes no request that changes anything.
import { type FSWatcher, readFileSync, watch } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { LENGTH_LIMITS } from '../model/limits.js';
import { BUILTIN_TEMPLATES, PACKAGE_ROOT } from '../paths.js';
import { Builder, type PreviewSource, parseViewRequest, Served, type ViewRequest } from './views.js';

export interface PreviewOptions {
  content: string;
  template: string | null;
  date: string | null;
  marking: string | undefined;
  /** 0 for any free port. */
  port: number;
  /** When the asked-for port is taken, try the next ones (the default port only). */
  fallback: boolean;
  /** How the page names the pack (its folder, as the terminal shows it). */
  label: string;
  /** Audience ids and their names, for the page's controls. */
  audiences: { id: string; label: Record<string, string> }[];
  /** The first view the page shows, built before the browser asks for it. */
  initial: ViewRequest;
  /** Builds a real file for a download button: its bytes and name, or the diagnostics. */
  download: (
    request: ViewRequest,
  ) => Promise<
    { ok: true; bytes: Uint8Array; name: string; type: string } | { ok: false; diagnostics: { message: string }[] }
  >;
  log: (line: string) => void;
}

export interface Preview {
  url: string;
  port: number;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';
const PAGE_FILES: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/preview.css': { file: 'preview.css', type: 'text/css; charset=utf-8' },
  '/preview.js': { file: 'preview.js', type: 'text/javascript; charset=utf-8' },
};

/** The page's own typeface: the deck's Latin face, from its npm package. */
const UI_FONTS: Record<string, string> = {
  '/ui/regular.ttf': '@expo-google-fonts/carlito/400Regular/Carlito_400Regular.ttf',
  '/ui/bold.ttf': '@expo-google-fonts/carlito/700Bold/Carlito_700Bold.ttf',
};

/** The page's own rules: its scripts and styles only, no frames, no forms, nothing from elsewhere. */
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export async function startPreview(options: PreviewOptions): Promise<Preview> {
  const page = new Map(
    Object.entries(PAGE_FILES).map(([route, f]) => [
      route,
      { body: readFileSync(join(PACKAGE_ROOT, 'dist', 'preview', 'page', f.file)), type: f.type },
    ]),
  );
  const served = new Served();
  const source: PreviewSource = {
    content: options.content,
    template: options.template,
    date: options.date,
    marking: options.marking,
    roots: [options.content, ...(options.template ? [options.template] : []), BUILTIN_TEMPLATES],
  };
  const builder = new Builder(source, served);
  const audienceIds = options.audiences.map((a) => a.id);
  let generation = 1;
  let changedAt = Date.now();
  const listeners = new Set<ServerResponse>();

  let port = 0;
  const server = createServer((req, res) => {
    void handle(req, res).catch((e: Error) => {
      options.log(`preview: ${e.message}`);
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'internal error');
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // One Host, this machine's (a second one could say something else to a proxy on the way).
    const hosts = req.headersDistinct.host;
    if (hosts?.length !== 1 || !allowedHost(hosts[0], port)) {
      send(res, 403, 'text/plain; charset=utf-8', 'this preview answers only http://127.0.0.1 and http://localhost');
      return;
    }
    if (!allowedSite(req.headers)) {
      send(res, 403, 'text/plain; charset=utf-8', 'this preview answers only its own page');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      send(res, 405, 'text/plain; charset=utf-8', 'the preview only reads');
      return;
    }
    // A path only: not `http://elsewhere/…` (absolute form) nor `//elsewhere/…` read as a host.
    if (!req.url?.startsWith('/')) return send(res, 400, 'text/plain; charset=utf-8', 'bad request target');
    const url = new URL(`http://${HOST}${req.url}`);
    const pageFile = page.get(url.pathname);
    if (pageFile) return send(res, 200, pageFile.type, pageFile.body);
    if (url.pathname === '/api/meta') {
      return json(res, 200, {
        generation,
        pack: options.label,
        audiences: options.audiences,
        languages: builder.languages(),
        initial: options.initial,
        // The lengths the server takes, for the page's length control.
        limits: LENGTH_LIMITS,
      });
    }
    if (url.pathname === '/api/view' || url.pathname === '/api/grid') {
      const parsed = parseViewRequest(url.searchParams, audienceIds);
      if (!parsed.ok) return json(res, 400, { error: parsed.message });
      if (url.pathname === '/api/view')
        return json(res, 200, { generation, changedAt, ...builder.view(parsed.request) });
      const compare = parseGridRequest(url.searchParams);
      if (!compare.ok) return json(res, 400, { error: compare.message });
      return json(res, 200, grid(parsed.request, compare.by, compare.page));
    }
    if (url.pathname === '/events') return events(req, res);
    const uiFont = Object.hasOwn(UI_FONTS, url.pathname) ? UI_FONTS[url.pathname] : undefined;
    if (uiFont) {
      const bytes = await readFile(createRequire(import.meta.url).resolve(uiFont)).catch(() => null);
      if (!bytes) return send(res, 404, 'text/plain; charset=utf-8', 'not found');
      res.setHeader('Cache-Control', 'private, max-age=86400');
      return send(res, 200, 'font/ttf', bytes, false);
    }
    if (url.pathname === '/favicon.ico') {
      res.statusCode = 204;
      res.end();
      return;
    }
    const file = /^\/file\/([0-9a-f]{20})$/.exec(url.pathname);
    if (file) {
      const known = served.get(file[1]!);
      if (!known) return send(res, 404, 'text/plain; charset=utf-8', 'not found');
      const bytes = 'bytes' in known ? Buffer.from(known.bytes) : await readFile(known.path).catch(() => null);
      if (!bytes) return send(res, 404, 'text/plain; charset=utf-8', 'not found');
      res.setHeader('Cache-Control', 'private, max-age=31536000, immutable');
      return send(res, 200, known.type, bytes, false);
    }
    const download = /^\/download\/(deck|memo|handout)$/.exec(url.pathname);
    if (download) {
      const query = new URLSearchParams(url.searchParams);
      query.set('output', download[1]!);
      const parsed = parseViewRequest(query, audienceIds);
      if (!parsed.ok) return json(res, 400, { error: parsed.message });
      const made = await options.download(parsed.request);
      if (!made.ok) return json(res, 422, { error: 'the build failed', diagnostics: made.diagnostics });
      res.setHeader('Content-Disposition', `attachment; filename="${made.name.replace(/[^\w.-]/g, '_')}"`);
      return send(res, 200, made.type, Buffer.from(made.bytes));
    }
    send(res, 404, 'text/plain; charset=utf-8', 'not found');
  }

  /** The same page of the output for every audience, or in every language, side by side. */
  function grid(request: ViewRequest, by: 'audience' | 'lang', pageNumber: number) {
    const variants: ViewRequest[] =
      by === 'lang'
        ? builder.languages().map((lang) => ({ ...request, lang }))
        : audienceIds.map((audience) => ({ ...request, audience }));
    const columns = variants.map((v) => {
      const view = builder.view(v);
      return {
        request: v,
        ok: view.ok,
        page: view.pages.find((p) => p.number === pageNumber) ?? null,
        pages: view.pages.length,
        fonts: view.fonts,
        errors: view.diagnostics.filter((d) => d.severity === 'error').length,
        warnings: view.diagnostics.filter((d) => d.severity === 'warning').length,
        dropped: view.drops.length,
        width: view.width,
        height: view.height,
        took: view.took,
      };
    });
    return { generation, changedAt, by, page: pageNumber, columns };
  }

  function events(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Content-Type-Options': 'nosniff',
    });
    res.write(`retry: 1000\nevent: hello\ndata: ${JSON.stringify({ generation })}\n\n`);
    listeners.add(res);
    req.on('close', () => listeners.delete(res));
  }

  function changed(files: string[]): void {
    generation++;
    changedAt = Date.now();
    builder.reset();
    const data = JSON.stringify({ generation, changedAt, files });
    for (const res of listeners) res.write(`event: change\ndata: ${data}\n\n`);
  }

  // Watch the pack and the template folder; an editor's save is several events, taken as one.
  const watchers: FSWatcher[] = [];
  let pending: NodeJS.Timeout | null = null;
  const touched = new Set<string>();
  for (const dir of [options.content, options.template]) {
    if (!dir) continue;
    try {
      const w = watch(dir, { recursive: true }, (_event, name) => {
        if (name) touched.add(String(name));
        if (pending) clearTimeout(pending);
        pending = setTimeout(() => {
          pending = null;
          const files = [...touched].slice(0, 20);
          touched.clear();
          changed(files);
        }, 30);
      });
      w.on('error', (e) => options.log(`preview: stopped watching ${dir} (${e.message}); restart to see changes`));
      watchers.push(w);
    } catch (e) {
      options.log(`preview: cannot watch ${dir} (${(e as Error).message}); changes will not show until restart`);
    }
  }
  const heartbeat = setInterval(() => {
    for (const res of listeners) res.write(': still here\n\n');
  }, 15_000);
  heartbeat.unref();

  port = await listen(server, options.port, options.fallback);
  const url = `http://${HOST}:${port}/`;
  // The first view, built before the address is given out: the page asks for it when it loads.
  builder.view(options.initial);
  // The pack's languages (for the page's menu) need the pack itself, which a cached first view
  // did not read: read while the browser opens the page.
  setImmediate(() => builder.languages());
  return {
    url,
    port,
    close: async () => {
      clearInterval(heartbeat);
      if (pending) clearTimeout(pending);
      for (const w of watchers) w.close();
      for (const res of listeners) res.end();
      listeners.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
    },
  };
}

/**
 * Only this machine's names for the server, with its port: a page on another site that points a
 * name of its own at 127.0.0.1 (DNS rebinding) sends its own name and is refused.
 */
export function allowedHost(host: string | undefined, port: number): boolean {
  if (!host) return false;
  return host === `${HOST}:${port}` || host.toLowerCase() === `localhost:${port}`;
}

/**
 * What a browser says about who asks (fetch metadata): the preview's own page, or the user
 * (typed, bookmarked, opened from the terminal); another site may link to it (a navigation) but
 * not fetch, embed or post to it. Requests without the header (curl, older browsers) pass.
 */
export function allowedSite(headers: IncomingMessage['headers']): boolean {
  const site = headers['sec-fetch-site'];
  if (site === undefined || site === 'same-origin' || site === 'none') return true;
  return headers['sec-fetch-mode'] === 'navigate' && headers['sec-fetch-dest'] === 'document';
}

/** Compare mode's query: by audience (the default) or language, and which page (from 1). */
export function parseGridRequest(
  query: URLSearchParams,
): { ok: true; by: 'audience' | 'lang'; page: number } | { ok: false; message: string } {
  const by = query.get('by') ?? 'audience';
  if (by !== 'audience' && by !== 'lang') return { ok: false, message: 'by must be one of audience, lang' };
  const raw = query.get('page') ?? '1';
  const page = /^\d{1,4}$/.test(raw) ? Number(raw) : 0;
  if (page < 1) return { ok: false, message: 'page must be a whole number from 1 to 9999' };
  return { ok: true, by, page };
}

/** Listens on 127.0.0.1; a taken default port moves on to the next ones. */
function listen(server: Server, port: number, fallback: boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    let tries = 0;
    const attempt = (p: number) => {
      const fail = (e: NodeJS.ErrnoException) => {
        if (e.code === 'EADDRINUSE' && fallback && tries++ < 20) attempt(p + 1);
        else reject(e);
      };
      server.once('error', fail);
      server.listen(p, HOST, () => {
        server.off('error', fail);
        resolve((server.address() as AddressInfo).port);
      });
    };
    attempt(port);
  });
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, noStore = true): void {
  res.statusCode = status;
  res.setHeader('Content-Type', type);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  res.setHeader('Content-Security-Policy', CSP);
  if (noStore) res.setHeader('Cache-Control', 'no-store');
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

function json(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(value));
}
