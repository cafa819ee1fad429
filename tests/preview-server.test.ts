// The preview server as a hostile page on this machine (or the network) would meet it: where it
// listens, which Host and which sites it answers, what paths and queries it refuses, the headers
// it sends, its change events, and a pack whose text tries to script the page. No browser; the
// built CLI (`dist/`) runs as a child process.
import { readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { cpSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allowedHost, allowedSite, parseGridRequest } from '../src/preview/server.js';
import { PACK, tempDir } from './helpers.js';
import { type PreviewProcess, startPreviewProcess } from './preview-process.js';

interface Reply {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** One request as written on the wire (so Host, path and method are exactly what a test says). */
function raw(port: number, head: string, host = '127.0.0.1'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, host);
    const chunks: Buffer[] = [];
    socket.on('data', (d) => chunks.push(d));
    socket.on('error', reject);
    socket.on('close', () => {
      const all = Buffer.concat(chunks);
      const end = all.indexOf('\r\n\r\n');
      const lines = all
        .subarray(0, end < 0 ? all.length : end)
        .toString('latin1')
        .split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines.slice(1)) {
        const i = line.indexOf(':');
        if (i > 0) headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
      }
      resolve({
        status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '')?.[1] ?? 0),
        headers,
        body: end < 0 ? Buffer.alloc(0) : all.subarray(end + 4),
      });
    });
    socket.write(head);
  });
}

/** A GET (or another method) with this machine's Host unless `headers` says otherwise. */
function get(port: number, target: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  const all = { Host: `127.0.0.1:${port}`, ...headers, Connection: 'close' };
  const lines = Object.entries(all).map(([k, v]) => `${k}: ${v}\r\n`);
  return raw(port, `${method} ${target} HTTP/1.1\r\n${lines.join('')}\r\n`);
}

const text = (r: Reply) => r.body.toString('utf8');

/** Signs that a reply carries a file it must not: the package manifest, a password file, the repo. */
function expectNoFileContents(r: Reply): void {
  const body = text(r);
  expect(body).not.toMatch(/root:.*:0:0:|"name": "briefing"|"devDependencies"|^PK/);
}

describe('briefing preview server', () => {
  let dir: string;
  let server: PreviewProcess;
  let hostile: PreviewProcess;
  let port: number;

  beforeAll(async () => {
    dir = tempDir('briefing-preview-');
    cpSync(PACK, join(dir, 'real-ai-race'), { recursive: true });
    // A pack whose text tries to become markup or a script link in the page.
    cpSync(PACK, join(dir, 'hostile'), { recursive: true });
    const packFile = join(dir, 'hostile', 'pack.yaml');
    const yaml = readFileSync(packFile, 'utf8');
    const evil = yaml
      .replace('title: { en: "The Real AI Race",', 'title: { en: "The Real AI Race <script>alert(1)</script>",')
      .replace(
        '    bluf: { en: "Leading on innovation',
        '    bluf: { en: "See [the source](javascript:alert(1)) and <img src=x onerror=alert(2)> <a href=\\"javascript:alert(3)\\">here</a> <svg onload=alert(4)>. Leading on innovation',
      )
      .replace(/url: https:\/\/www\.foreignaffairs\.com\S+/, 'url: "javascript:alert(document.domain)"');
    expect(evil.match(/alert/g)).toHaveLength(6);
    writeFileSync(packFile, evil);
    [server, hostile] = await Promise.all([
      startPreviewProcess(['--content', join(dir, 'real-ai-race')], dir),
      startPreviewProcess(['--content', join(dir, 'hostile')], dir),
    ]);
    port = server.port;
  });

  afterAll(async () => {
    await Promise.all([server?.stop(), hostile?.stop()]);
  });

  it('listens on 127.0.0.1 only', async () => {
    expect(server.url).toBe(`http://127.0.0.1:${port}/`);
    expect((await get(port, '/api/meta')).status).toBe(200);
    // The kernel's table of listening sockets: this port, on 127.0.0.1, and not on IPv6.
    if (process.platform === 'linux') {
      const listening = (file: string) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .slice(1)
          .map((l) => l.trim().split(/\s+/))
          .filter((f) => f[3] === '0A' && Number.parseInt(f[1]!.split(':')[1]!, 16) === port)
          .map((f) => f[1]!.split(':')[0]!);
      expect(listening('/proc/net/tcp')).toEqual(['0100007F']);
      let v6: string[] = [];
      try {
        v6 = listening('/proc/net/tcp6');
      } catch {
        // No IPv6 here.
      }
      expect(v6).toEqual([]);
    }
    // This machine's other addresses do not answer.
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a && !a.internal && a.family === 'IPv4')
      .map((a) => a!.address);
    if (others.length === 0) console.log('preview-server: no non-loopback IPv4 address here; that check is skipped');
    for (const address of others)
      await expect(raw(port, 'GET / HTTP/1.0\r\n\r\n', address)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('answers only a Host that is this machine with its port (no DNS rebinding)', async () => {
    expect((await get(port, '/', { Host: `localhost:${port}` })).status).toBe(200);
    expect((await get(port, '/', { Host: `LOCALHOST:${port}` })).status).toBe(200);
    const foreign = [
      `evil.example:${port}`,
      'evil.example',
      '127.0.0.1.evil.example',
      `127.0.0.1.evil.example:${port}`,
      `localhost.evil.example:${port}`,
      `127.0.0.1:${port}.evil.example`,
      `127.0.0.1:${port}@evil.example`,
      `evil.example@127.0.0.1:${port}`,
      '127.0.0.1',
      'localhost',
      `127.0.0.1:${port + 1}`,
      `127.0.0.1:0${port}`,
      `127.1:${port}`,
      `2130706433:${port}`,
      `0x7f000001:${port}`,
      `0.0.0.0:${port}`,
      `[::1]:${port}`,
      `[::ffff:127.0.0.1]:${port}`,
      `127.0.0.1.:${port}`,
      `localhost.:${port}`,
      '',
    ];
    for (const host of foreign) {
      const r = await get(port, '/api/meta', { Host: host });
      expect([host, r.status]).toEqual([host, 403]);
      expect(text(r)).not.toContain('generation');
    }
    // No Host at all: HTTP/1.0 reaches the check; HTTP/1.1 is refused by Node's parser first.
    expect((await raw(port, 'GET /api/meta HTTP/1.0\r\n\r\n')).status).toBe(403);
    expect((await raw(port, 'GET /api/meta HTTP/1.1\r\nConnection: close\r\n\r\n')).status).toBe(400);
    // Two Hosts, in either order.
    for (const hosts of [
      ['evil.example', `127.0.0.1:${port}`],
      [`127.0.0.1:${port}`, 'evil.example'],
    ]) {
      const r = await raw(
        port,
        `GET /api/meta HTTP/1.1\r\n${hosts.map((h) => `Host: ${h}\r\n`).join('')}Connection: close\r\n\r\n`,
      );
      expect(r.status).toBe(403);
    }
    // A request target naming another host.
    expect((await get(port, 'http://evil.example/api/meta')).status).toBe(400);
    expect((await get(port, '//evil.example/api/meta')).status).toBe(404);
    expect(allowedHost(`127.0.0.1:${port}`, port)).toBe(true);
    expect(allowedHost(undefined, port)).toBe(false);
  });

  it('refuses what another site’s page asks of it, but may be linked to', async () => {
    const crossSite = { 'Sec-Fetch-Site': 'cross-site', 'Sec-Fetch-Mode': 'no-cors', 'Sec-Fetch-Dest': 'script' };
    expect((await get(port, '/api/view', crossSite)).status).toBe(403);
    expect((await get(port, '/download/deck?length=3', { ...crossSite, 'Sec-Fetch-Dest': 'empty' })).status).toBe(403);
    expect(
      (await get(port, '/events', { ...crossSite, 'Sec-Fetch-Mode': 'cors', 'Sec-Fetch-Dest': 'empty' })).status,
    ).toBe(403);
    expect((await get(port, '/api/meta', { 'Sec-Fetch-Site': 'same-site', 'Sec-Fetch-Mode': 'cors' })).status).toBe(
      403,
    );
    // A link from elsewhere, the user's own typing, and the page's own requests.
    const link = { 'Sec-Fetch-Site': 'cross-site', 'Sec-Fetch-Mode': 'navigate', 'Sec-Fetch-Dest': 'document' };
    expect((await get(port, '/', link)).status).toBe(200);
    expect((await get(port, '/', { 'Sec-Fetch-Site': 'none', 'Sec-Fetch-Mode': 'navigate' })).status).toBe(200);
    expect((await get(port, '/api/meta', { 'Sec-Fetch-Site': 'same-origin', 'Sec-Fetch-Mode': 'cors' })).status).toBe(
      200,
    );
    expect(allowedSite({})).toBe(true);
  });

  it('only reads: other methods get 405', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE']) {
      const r = await get(port, '/api/view', { 'Content-Length': '0' }, method);
      expect([method, r.status]).toEqual([method, 405]);
      expect(r.headers.allow).toBe('GET, HEAD');
    }
    const head = await get(port, '/', {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
  });

  it('serves no file by path: traversal and unknown ids get 404', async () => {
    const targets = [
      '/../package.json',
      '/../../../../etc/passwd',
      '/file/../../etc/passwd',
      '/file/../../package.json',
      '/%2e%2e/package.json',
      '/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      '/file/%2e%2e%2f%2e%2e%2fpackage.json',
      '/file/..%2f..%2f..%2fetc%2fpasswd',
      '/file/%252e%252e%252fpackage.json',
      '/file/00000000000000000000',
      '/file/0000000000000000000g',
      '/file/',
      '/package.json',
      '/dist/preview/page/index.html',
      '/preview.js/../../package.json',
      '/preview.css%00.json',
      '//etc/passwd',
      '/\\..\\package.json',
      '/index.html',
    ];
    for (const target of targets) {
      const r = await get(port, target);
      expect([target, r.status]).toEqual([target, 404]);
      expectNoFileContents(r);
    }
    // A file the page does use, by its id, is served.
    const view = JSON.parse(text(await get(port, '/api/view?output=deck&length=3'))) as { fonts: { url: string }[] };
    const font = await get(port, view.fonts[0]!.url);
    expect(font.status).toBe(200);
    expect(font.headers['content-type']).toMatch(/^font\//);
    expect(font.headers['cross-origin-resource-policy']).toBe('same-origin');
    // …and only by that exact id.
    expect((await get(port, `${view.fonts[0]!.url}/../../package.json`)).status).toBe(404);
    expect((await get(port, `${view.fonts[0]!.url}x`)).status).toBe(404);
  });

  it('says what is wrong with a bad query (400)', async () => {
    const bad: [string, RegExp][] = [
      ['/api/view?output=pdf', /output must be one of deck, memo, handout/],
      ['/api/view?audience=nobody', /unknown audience/],
      ['/api/view?audience=__proto__', /unknown audience/],
      ['/api/view?lang=fr', /lang must be one of/],
      ['/api/view?length=2', /length must be a whole number from 3/],
      ['/api/view?length=abc', /length must be a whole number/],
      ['/api/view?length=-5', /length must be a whole number/],
      ['/api/view?length=1e1', /length must be a whole number/],
      ['/api/view?length=99999', /length must be a whole number/],
      ['/api/view?output=memo&length=0', /length must be a whole number from 1/],
      ['/api/grid?by=bogus', /by must be one of audience, lang/],
      ['/api/grid?page=0', /page must be a whole number/],
      ['/api/grid?page=1e400', /page must be a whole number/],
      ['/api/grid?page=-3', /page must be a whole number/],
      ['/download/deck?length=9999', /length must be a whole number/],
      ['/download/memo?lang=xx', /lang must be one of/],
    ];
    for (const [target, message] of bad) {
      const r = await get(port, target);
      expect([target, r.status]).toEqual([target, 400]);
      expect(r.headers['content-type']).toMatch(/^application\/json/);
      expect((JSON.parse(text(r)) as { error: string }).error).toMatch(message);
    }
  });

  it('survives very long requests', async () => {
    // Node refuses a request head over 16 KB: 431, or a reset when the refusal overtakes the rest of it.
    const long = await get(port, `/api/view?x=${'a'.repeat(200_000)}`).catch((e: NodeJS.ErrnoException) => e);
    if (long instanceof Error) expect(long.code).toBe('ECONNRESET');
    else expect(long.status).toBe(431);
    const longHost = await get(port, '/', { Host: `${'a'.repeat(10_000)}.evil.example:${port}` });
    expect(longHost.status).toBe(403);
    const longQuery = await get(port, `/api/view?audience=${'x'.repeat(12_000)}`);
    expect(longQuery.status).toBe(400);
    expect(text(longQuery)).not.toContain('xxxx');
    expect((await get(port, '/api/meta')).status).toBe(200);
  });

  it('returns as many SVG pages as the length asked for', async () => {
    for (const [query, n] of [
      ['output=deck&audience=public&lang=zh-Hant&length=5', 5],
      ['output=memo&length=2', 2],
    ] as const) {
      const r = await get(port, `/api/view?${query}`);
      expect(r.status).toBe(200);
      const view = JSON.parse(text(r)) as { ok: boolean; pages: { number: number; svg: string }[] };
      expect(view.ok).toBe(true);
      expect(view.pages.map((p) => p.number)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
      for (const p of view.pages)
        expect(p.svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]*>[\s\S]*<\/svg>$/);
    }
    const grid = JSON.parse(text(await get(port, '/api/grid?by=audience&page=2&length=5'))) as {
      columns: { page: { number: number } | null }[];
    };
    expect(grid.columns.map((c) => c.page?.number)).toEqual([2, 2, 2, 2, 2]);
  });

  it('sends its security headers on every answer', async () => {
    for (const target of ['/', '/preview.js', '/api/meta', '/api/view?length=3', '/nope', '/api/view?lang=xx']) {
      const r = await get(port, target);
      expect(r.headers['x-content-type-options'], target).toBe('nosniff');
      expect(r.headers['content-security-policy'], target).toMatch(/default-src 'none'/);
      expect(r.headers['content-security-policy'], target).toMatch(/script-src 'self'/);
      expect(r.headers['content-security-policy'], target).toMatch(/frame-ancestors 'none'/);
      expect(r.headers['referrer-policy'], target).toBe('no-referrer');
    }
    const refused = await get(port, '/', { Host: 'evil.example' });
    expect(refused.headers['x-content-type-options']).toBe('nosniff');
  });

  it('sends `change` on its event stream when a file of the pack is saved', async () => {
    const events: string[] = [];
    const req = httpRequest({ host: '127.0.0.1', port, path: '/events', headers: { Host: `127.0.0.1:${port}` } });
    const gotHello = new Promise<void>((resolve, reject) => {
      req.on('response', (res) => {
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
        res.setEncoding('utf8').on('data', (d: string) => {
          events.push(d);
          if (d.includes('event: hello')) resolve();
        });
      });
      req.on('error', reject);
    });
    req.end();
    try {
      await gotHello;
      const before = JSON.parse(text(await get(port, '/api/meta'))) as { generation: number };
      const file = join(dir, 'real-ai-race', 'modules', 'economy.yaml');
      writeFileSync(file, readFileSync(file));
      const deadline = Date.now() + 5000;
      while (!events.join('').includes('event: change') && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      const change = /event: change\ndata: (.*)\n/.exec(events.join(''));
      expect(change).not.toBeNull();
      const data = JSON.parse(change![1]!) as { generation: number; files: string[] };
      expect(data.generation).toBeGreaterThan(before.generation);
      expect(data.files.map((f) => f.replace(/\\/g, '/'))).toContain('modules/economy.yaml');
    } finally {
      req.destroy();
    }
  });

  it('never puts a script, an event handler or a javascript: link in an SVG, whatever the pack says', async () => {
    const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', preserveOrder: true });
    type Node = Record<string, unknown> & { ':@'?: Record<string, string> };
    let shown = '';
    let elements = 0;
    const walk = (nodes: Node[]) => {
      for (const node of nodes) {
        const name = Object.keys(node).find((k) => k !== ':@')!;
        if (name === '#text') {
          shown += String(node[name]);
          continue;
        }
        elements++;
        expect(name.toLowerCase()).not.toMatch(/^(script|foreignobject|iframe|object|embed|handler|set|animate)$/);
        for (const [attr, value] of Object.entries(node[':@'] ?? {})) {
          expect(attr.toLowerCase()).not.toMatch(/^on/);
          if (/href$/i.test(attr)) expect(value).toMatch(/^(#|https?:|mailto:|\/file\/[0-9a-f]{20}$)/);
          expect(String(value)).not.toMatch(/^\s*(javascript|data|vbscript):/i);
        }
        walk(node[name] as Node[]);
      }
    };
    for (const query of ['output=deck&length=10', 'output=memo&length=2', 'output=handout&length=4']) {
      const view = JSON.parse(text(await get(hostile.port, `/api/view?${query}`))) as {
        ok: boolean;
        pages: { svg: string; notes?: string[] }[];
      };
      expect(view.ok, query).toBe(true);
      for (const page of view.pages) walk(parser.parse(page.svg) as Node[]);
    }
    expect(elements).toBeGreaterThan(100);
    // The hostile text is there, as text.
    const decoded = shown
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&');
    expect(decoded).toContain('<script>alert(1)</script>');
    expect(decoded).toContain('onerror=alert(2)');
  });

  it('parses compare mode’s query', () => {
    expect(parseGridRequest(new URLSearchParams(''))).toEqual({ ok: true, by: 'audience', page: 1 });
    expect(parseGridRequest(new URLSearchParams('by=lang&page=3'))).toEqual({ ok: true, by: 'lang', page: 3 });
    expect(parseGridRequest(new URLSearchParams('page=Infinity')).ok).toBe(false);
  });

  it('ends on SIGTERM with exit code 0', async () => {
    const end = await server.stop();
    expect(end).toMatchObject({ code: 0, signal: null });
    expect(end.ms).toBeLessThan(5000);
  });
});
