// A tiny static server for a built charter site, as a web server would serve
// it: the site under `prefix` ("/" or "/policies/"), index.html for
// directories (a directory URL without its trailing slash is redirected),
// the site's 404.html with status 404 for anything missing, and
// `Content-Security-Policy: default-src 'self'` on every response, so that an
// inline script or style in the theme shows up as a console error.
//
// Extra files (axe-core for the accessibility checks) can be mounted at
// exact paths outside the site with `extra`: { "/__test/axe.min.js": file }.
//
// Standalone: node server.mjs DIR [PREFIX] [PORT]
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.pdf': 'application/pdf',
};

export const CSP = "default-src 'self'";

function headers(type, length) {
  return {
    'Content-Type': type,
    'Content-Length': length,
    'Content-Security-Policy': CSP,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
  };
}

export function startServer({ root, prefix = '/', extra = {}, host = '127.0.0.1', port = 0 }) {
  root = path.resolve(root);
  if (!prefix.startsWith('/')) prefix = '/' + prefix;
  if (!prefix.endsWith('/')) prefix += '/';

  const send = (res, req, status, type, body, more = {}) => {
    res.writeHead(status, { ...headers(type, body.length), ...more });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
  const notFound = (res, req) => {
    let body;
    try {
      body = fs.readFileSync(path.join(root, '404.html'));
    } catch {
      return send(res, req, 404, TYPES['.txt'], Buffer.from('Not found (the build has no 404.html)\n'));
    }
    send(res, req, 404, TYPES['.html'], body);
  };

  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return send(res, req, 405, TYPES['.txt'], Buffer.from('Method not allowed\n'), { Allow: 'GET, HEAD' });
    }
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      return send(res, req, 400, TYPES['.txt'], Buffer.from('Bad request\n'));
    }
    if (Object.hasOwn(extra, pathname)) {
      const body = fs.readFileSync(extra[pathname]);
      return send(res, req, 200, TYPES[path.extname(pathname)] || 'application/octet-stream', body);
    }
    if (pathname + '/' === prefix) {
      return send(res, req, 301, TYPES['.txt'], Buffer.from('Moved\n'), { Location: prefix });
    }
    if (!pathname.startsWith(prefix) || pathname.includes('\0')) return notFound(res, req);
    const rel = pathname.slice(prefix.length);
    let file = path.resolve(root, '.' + path.sep + rel);
    if (file !== root && !file.startsWith(root + path.sep)) return notFound(res, req);
    let st;
    try {
      st = fs.statSync(file);
    } catch {
      return notFound(res, req);
    }
    if (st.isDirectory()) {
      if (!pathname.endsWith('/')) {
        return send(res, req, 301, TYPES['.txt'], Buffer.from('Moved\n'), { Location: pathname + '/' });
      }
      file = path.join(file, 'index.html');
      try {
        st = fs.statSync(file);
      } catch {
        return notFound(res, req);
      }
    }
    if (!st.isFile()) return notFound(res, req);
    send(res, req, 200, TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream', fs.readFileSync(file));
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const { port: p } = server.address();
      resolve({
        server,
        origin: `http://${host}:${p}`,
        base: `http://${host}:${p}${prefix}`,
        close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(() => r()); }),
      });
    });
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] || '').href) {
  const [dir, prefix = '/', port = '0'] = process.argv.slice(2);
  if (!dir) {
    console.error('usage: node server.mjs DIR [PREFIX] [PORT]');
    process.exit(2);
  }
  const s = await startServer({ root: dir, prefix, port: Number(port) });
  console.log(`serving ${dir} at ${s.base}`);
}
