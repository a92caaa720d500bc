// Browser tests of a built charter site, in Debian's Chromium through
// playwright-core. run.sh builds the example site (at "/" and under
// "/policies/") and calls
//
//   node test.mjs NAME DIR PREFIX [NAME DIR PREFIX ...]
//
// For each build: an HTTP crawl from the home page (every a/link/script/img
// URL inside the site must answer 200, every #fragment must exist), every HTML
// page loaded in Chromium under `Content-Security-Policy: default-src 'self'`
// with no console errors, page errors, failed requests or responses >= 400,
// axe-core (WCAG 2.1 A/AA) on the key pages in light and dark, the search box,
// the handbook's print page breaks and PDF, the 404 page, the change history
// (from scripts/example-repo.sh's repository), and full-page screenshots
// (first build only) into out/.
//
// Prints one line per failed check and `browser: N checks, F failed`; exits 1
// on failures. Environment: BROWSER_CONTROL_SAMPLE=N loads only N control
// pages in Chromium (all are always fetched over HTTP; default: all),
// BROWSER_VERBOSE=1 prints passing checks too.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const OUT = path.join(HERE, 'out');
const AXE_FILE = path.join(HERE, 'node_modules', 'axe-core', 'axe.min.js');
const AXE_URL_PATH = '/__browser-test/axe.min.js';
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const VERBOSE = !!process.env.BROWSER_VERBOSE;
const CONTROL_SAMPLE = process.env.BROWSER_CONTROL_SAMPLE ? Number(process.env.BROWSER_CONTROL_SAMPLE) : Infinity;
const WORKERS = 3;

// ---------------------------------------------------------------- checks

let nChecks = 0;
let nFailed = 0;
function check(name, ok, detail = '', more = []) {
  nChecks++;
  if (ok) {
    if (VERBOSE) console.log(`ok   ${name}`);
    return true;
  }
  nFailed++;
  console.log(`FAIL ${name}${detail ? ': ' + detail : ''}`);
  for (const line of more) console.log(`       ${line}`);
  return false;
}
// Runs a step; an exception fails it as one check instead of ending the run.
async function step(name, fn) {
  try {
    await fn();
  } catch (e) {
    check(name, false, String(e && e.message ? e.message : e).split('\n')[0]);
  }
}
const secs = (t0) => ((Date.now() - t0) / 1000).toFixed(1) + ' s';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function pool(items, n, fn) {
  let i = 0;
  const run = async () => {
    while (i < items.length) {
      const item = items[i++];
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, run));
}

// ---------------------------------------------------------------- HTML scanning

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
function decodeEntities(s) {
  return s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (m, e) => {
    if (e[0] === '#') {
      const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return String.fromCodePoint(cp);
    }
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}
const attrValue = (m) => decodeEntities(m[2] ?? m[3] ?? m[4] ?? '');

// URLs in a[href], link[href], script[src] and img[src].
function extractLinks(html) {
  const links = [];
  const tagRe = /<(a|link|script|img)\b([^>]*)>/gi;
  for (const t of html.matchAll(tagRe)) {
    const want = t[1].toLowerCase() === 'a' || t[1].toLowerCase() === 'link' ? 'href' : 'src';
    const re = new RegExp(`\\s${want}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i');
    const m = t[2].match(re);
    if (m) links.push({ tag: t[1].toLowerCase(), url: decodeEntities(m[1] ?? m[2] ?? m[3]) });
  }
  return links;
}
function extractIds(html) {
  const ids = new Set();
  for (const m of html.matchAll(/<[a-z][^>]*?\s(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/gi)) {
    ids.add(decodeEntities(m[1] ?? m[2] ?? m[3]));
  }
  return ids;
}
// What a strict CSP refuses: inline <script>, <style>, style="" and on*="".
function inlineCode(html) {
  const found = [];
  if (/<script\b(?![^>]*\ssrc\s*=)[^>]*>/i.test(html)) found.push('inline <script>');
  if (/<style\b/i.test(html)) found.push('<style> element');
  if (/<[a-z][^>]*\sstyle\s*=/i.test(html)) found.push('style="" attribute');
  const on = html.match(/<[a-z][^>]*\s(on[a-z]+)\s*=/i);
  if (on) found.push(`${on[1]}="" handler`);
  return found;
}

// ---------------------------------------------------------------- one build

class Site {
  constructor(name, dir, prefix, server) {
    this.name = name;
    this.dir = dir;
    this.prefix = prefix;
    this.origin = server.origin;
    this.base = server.base;
    this.server = server;
    this.resources = new Map(); // url without fragment -> record
  }
  url(rel) {
    return new URL(rel, this.base).href;
  }
  // A path for messages: relative to the server, as a user would see it.
  show(url) {
    const u = new URL(url);
    return u.origin === this.origin ? u.pathname + u.search + u.hash : url;
  }
  label(what) {
    return `[${this.name}] ${what}`;
  }
  isControlPage(url) {
    const p = new URL(url).pathname;
    return p.startsWith(this.prefix) && /^controls\/[^/]+\/[^/]+\/$/.test(p.slice(this.prefix.length));
  }
}

async function fetchRecord(site, url) {
  const rec = site.resources.get(url);
  try {
    const res = await fetch(url, { redirect: 'manual' });
    rec.status = res.status;
    rec.type = res.headers.get('content-type') || '';
    rec.location = res.headers.get('location');
    rec.csp = res.headers.get('content-security-policy');
    if (rec.type.startsWith('text/html') && res.status === 200) {
      rec.html = await res.text();
    } else {
      await res.arrayBuffer();
    }
  } catch (e) {
    rec.status = 0;
    rec.error = e.message;
  }
}

// Breadth-first over HTTP from the home page.
async function crawl(site) {
  const t0 = Date.now();
  const fragments = []; // {from, target, frag}
  const add = (url, from) => {
    let rec = site.resources.get(url);
    const isNew = !rec;
    if (isNew) {
      rec = { url, from: new Set() };
      site.resources.set(url, rec);
    }
    if (from) rec.from.add(from);
    return isNew;
  };
  add(site.base, null);
  let level = [site.base];
  while (level.length) {
    const next = [];
    await pool(level, 8, async (url) => {
      await fetchRecord(site, url);
      const rec = site.resources.get(url);
      if (!rec.html) return;
      rec.ids = extractIds(rec.html);
      for (const { url: raw } of extractLinks(rec.html)) {
        let u;
        try {
          u = new URL(raw, url);
        } catch {
          continue;
        }
        if (u.protocol !== 'http:' && u.protocol !== 'https:') continue;
        if (u.origin !== site.origin) continue; // external: not ours to test
        const frag = u.hash ? decodeURIComponent(u.hash.slice(1)) : '';
        u.hash = '';
        if (frag) fragments.push({ from: url, target: u.href, frag });
        if (add(u.href, url)) next.push(u.href);
      }
    });
    level = next;
  }

  for (const rec of site.resources.values()) {
    const from = [...rec.from].slice(0, 3).map((f) => site.show(f)).join(', ');
    let detail = rec.error || `HTTP ${rec.status}`;
    if (rec.location) detail += ` -> ${rec.location}`;
    check(site.label(`GET ${site.show(rec.url)}`), rec.status === 200, `${detail}${from ? ` (linked from ${from})` : ''}`);
    if (rec.status === 200) {
      check(site.label(`CSP header on ${site.show(rec.url)}`), rec.csp === "default-src 'self'", `got ${rec.csp}`);
    }
    if (rec.html) {
      const inline = inlineCode(rec.html);
      check(site.label(`no inline code in ${site.show(rec.url)}`), inline.length === 0, inline.join(', '));
    }
  }
  // Every #fragment of an internal link exists on its target page.
  const seen = new Set();
  for (const { from, target, frag } of fragments) {
    const key = `${target}#${frag}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const rec = site.resources.get(target);
    if (!rec || !rec.ids || frag === 'top') continue;
    check(site.label(`anchor ${site.show(key)}`), rec.ids.has(frag), `no id "${frag}" on the page (linked from ${site.show(from)})`);
  }
  const html = [...site.resources.values()].filter((r) => r.html);
  console.log(
    `browser: ${site.label('crawl')}: ${site.resources.size} URLs, ${html.length} HTML pages, ${seen.size} anchors, ${secs(t0)}`,
  );
}

// ---------------------------------------------------------------- Chromium pages

// A page that records what goes wrong while it loads: console errors, page
// errors, failed requests and responses >= 400 (except `allow` URLs).
async function newWatchedPage(context, site) {
  const page = await context.newPage();
  const w = { page, errors: [], allow: new Set(), inflight: 0 };
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const where = msg.location()?.url || '';
    // Chromium's own /favicon.ico probe, racy and once per context: the
    // favicon check of expectedPages() tests for it instead.
    if (where === `${site.origin}/favicon.ico`) return;
    if (w.allow.has(where) && /status of 404/.test(msg.text())) return;
    w.errors.push(`console error: ${msg.text().slice(0, 300)}${where ? ` (${site.show(where)})` : ''}`);
  });
  page.on('pageerror', (err) => w.errors.push(`page error: ${String(err.message).split('\n')[0]}`));
  page.on('request', () => w.inflight++);
  page.on('requestfinished', () => w.inflight--);
  page.on('requestfailed', (req) => {
    w.inflight--;
    const why = req.failure()?.errorText || '';
    // A request the browser itself cancels (the favicon while the crawler
    // moves on to the next page) is no failure of the site; every URL is
    // also fetched over HTTP by the crawl and must answer 200 there.
    if (why === 'net::ERR_ABORTED') return;
    w.errors.push(`request failed: ${site.show(req.url())} ${why}`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400 && !w.allow.has(res.url())) {
      w.errors.push(`HTTP ${res.status()}: ${site.show(res.url())}`);
    }
  });
  return w;
}

// Waits until no request has been in flight for 100 ms (the page's own
// scripts may fetch after `load`, e.g. the search index).
async function settle(w, timeout = 5000) {
  const t0 = Date.now();
  let quiet = 0;
  while (Date.now() - t0 < timeout) {
    await sleep(25);
    quiet = w.inflight <= 0 ? quiet + 25 : 0;
    if (quiet >= 100) return;
  }
  w.errors.push(`network still busy after ${timeout} ms`);
}

async function visit(w, url, { allow = [] } = {}) {
  w.errors = [];
  w.allow = new Set(allow);
  w.inflight = 0;
  const res = await w.page.goto(url, { waitUntil: 'load', timeout: 20000 });
  await settle(w);
  return res;
}

async function browserCrawl(site, context) {
  const t0 = Date.now();
  let pages = [...site.resources.values()].filter((r) => r.html).map((r) => r.url);
  const controls = pages.filter((u) => site.isControlPage(u)).sort();
  let skipped = 0;
  if (controls.length > CONTROL_SAMPLE) {
    const keep = new Set();
    const must = site.url('controls/iso27001-2022/A.5.1/');
    if (controls.includes(must)) keep.add(must);
    const step = controls.length / CONTROL_SAMPLE;
    for (let i = 0; keep.size < CONTROL_SAMPLE && i < CONTROL_SAMPLE; i++) keep.add(controls[Math.floor(i * step)]);
    pages = pages.filter((u) => !site.isControlPage(u) || keep.has(u));
    skipped = controls.length - keep.size;
  }
  const watched = [];
  for (let i = 0; i < Math.min(WORKERS, pages.length); i++) watched.push(await newWatchedPage(context, site));
  const queue = [...pages];
  await Promise.all(
    watched.map(async (w) => {
      while (queue.length) {
        const url = queue.shift();
        let res;
        try {
          res = await visit(w, url);
        } catch (e) {
          w.errors.push(String(e.message).split('\n')[0]);
        }
        if (res && res.status() !== 200) w.errors.unshift(`document HTTP ${res.status()}`);
        check(site.label(`Chromium ${site.show(url)}`), w.errors.length === 0, w.errors[0] || '', w.errors.slice(1, 6));
      }
    }),
  );
  for (const w of watched) await w.page.close();
  console.log(
    `browser: ${site.label('Chromium')}: ${pages.length} pages loaded${skipped ? ` (${skipped} control pages checked over HTTP only)` : ''}, ${secs(t0)}`,
  );
}

// ---------------------------------------------------------------- the pages under test

function pagesJson(site) {
  try {
    return JSON.parse(fs.readFileSync(path.join(site.dir, 'api', 'pages.json'), 'utf8')).pages || [];
  } catch {
    return [];
  }
}

// The first policy page (a page with layout policy, as listed in the build's
// api/pages.json), else the first page under a section linked from home.
function policyUrl(site) {
  const p = pagesJson(site).find((x) => x.layout === 'policy');
  if (p) return new URL(p.url, site.origin).href;
  const home = site.resources.get(site.base);
  for (const { url } of extractLinks(home?.html || '')) {
    const u = new URL(url, site.base);
    if (u.origin === site.origin && u.pathname.startsWith(site.prefix) && /^[^/]+\/[^/]+\/$/.test(u.pathname.slice(site.prefix.length))) {
      return u.href;
    }
  }
  return site.url('governance/information-security-policy/');
}

function keyPages(site) {
  return [
    ['home', site.base],
    ['policy', policyUrl(site)],
    ['control', site.url('controls/iso27001-2022/A.5.1/')],
    ['soa', site.url('soa/')],
    ['reviews', site.url('reviews/')],
  ];
}

async function status(url) {
  try {
    const res = await fetch(url, { redirect: 'manual' });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

// The pages and files of the contract exist, and the pages are linked.
async function expectedPages(site) {
  const linked = ['soa/', 'reviews/', 'handbook/', 'controls/', 'controls/iso27001-2022/A.5.1/', 'tags/', 'assets/search.js'];
  const files = [...linked, 'search.json', 'feed.xml', '404.html'];
  for (const rel of files) {
    const url = site.url(rel);
    const st = site.resources.get(url)?.status ?? (await status(url));
    const ok = check(site.label(`exists ${site.show(url)}`), st === 200, `HTTP ${st}`);
    if (ok && linked.includes(rel)) {
      check(site.label(`linked ${site.show(url)}`), site.resources.has(url), 'no page links to it (not reached from the home page)');
    }
  }
  // Without <link rel="icon">, browsers ask for /favicon.ico at the server's
  // root (outside a sub-path site) and log its 404 as a console error.
  const home = site.resources.get(site.base)?.html || '';
  const iconLink = [...home.matchAll(/<link\b[^>]*>/gi)].some((m) => /\srel\s*=\s*["']?[^"'>]*\bicon\b/i.test(m[0]));
  const rootIcon = iconLink ? 200 : await status(`${site.origin}/favicon.ico`);
  check(site.label('favicon'), iconLink || rootIcon === 200, `no <link rel="icon"> and ${site.origin}/favicon.ico answers ${rootIcon}: every page logs a console error in a browser`);

  // The sitemap protocol wants absolute URLs, so with a relative base_url
  // (both sites here: "/" and "/policies/") charter writes no sitemap.xml: a
  // sitemap of "/soa/" is refused by crawlers. With an absolute base_url it
  // lists every page, and every URL in it answers 200.
  const sm = await fetch(site.url('sitemap.xml'));
  if (!site.absoluteBaseUrl) {
    check(site.label('no sitemap.xml with a relative base_url'), sm.status === 404, `HTTP ${sm.status}`);
    return;
  }
  const xml = await sm.text();
  const locs = [...xml.matchAll(/<loc>\s*([^<]*?)\s*<\/loc>/g)].map((m) => new URL(decodeEntities(m[1]), site.origin).href);
  const bad = [];
  for (const u of locs) {
    const st = site.resources.get(u)?.status ?? (await status(u));
    if (st !== 200) bad.push(`${site.show(u)} HTTP ${st}`);
  }
  check(site.label(`sitemap.xml URLs answer 200 (${locs.length})`), locs.length > 0 && bad.length === 0, bad.length ? bad.slice(0, 5).join(', ') : 'no <loc> entries');
  const listed = new Set(locs);
  const missing = [...site.resources.values()]
    .filter((r) => r.html && !listed.has(r.url))
    .map((r) => site.show(r.url));
  check(site.label('sitemap.xml lists every crawled page'), missing.length === 0, `${missing.length} missing: ${missing.slice(0, 5).join(', ')}`);
}

// ---------------------------------------------------------------- axe-core

// Under the CSP, page.addScriptTag({path}) injects an inline script and is
// refused; axe is served by the test server at AXE_URL_PATH (same origin) and
// added with addScriptTag({url}), so the CSP stays on for the axe runs.
async function axeCheck(site, context) {
  const t0 = Date.now();
  const w = await newWatchedPage(context, site);
  for (const [name, url] of keyPages(site)) {
    for (const scheme of ['light', 'dark']) {
      const label = site.label(`axe ${name} ${site.show(url)} (${scheme})`);
      await step(label, async () => {
        await w.page.emulateMedia({ colorScheme: scheme });
        const res = await visit(w, url);
        if (!res || res.status() !== 200) {
          check(label, false, `page missing (HTTP ${res ? res.status() : '?'})`);
          return;
        }
        await w.page.addScriptTag({ url: site.origin + AXE_URL_PATH });
        const result = await w.page.evaluate(
          (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
          AXE_TAGS,
        );
        const v = result.violations;
        check(
          label,
          v.length === 0,
          `${v.length} violation${v.length === 1 ? '' : 's'}`,
          v.map(
            (x) =>
              `${x.id} (${x.impact}): ${x.help} [${x.nodes.length} node${x.nodes.length === 1 ? '' : 's'}: ${x.nodes
                .slice(0, 3)
                .map((n) => n.target.join(' '))
                .join(' | ')}]${x.nodes[0]?.failureSummary ? ' -- ' + x.nodes[0].failureSummary.replace(/\s*\n\s*/g, ' ') : ''}`,
          ),
        );
      });
    }
  }
  await w.page.close();
  console.log(`browser: ${site.label('axe')}: ${secs(t0)}`);
}

// ---------------------------------------------------------------- SoA filter

// assets/soa.js on the Statement of Applicability: the form appears, and
// each field (applicability, status, coverage) shows exactly the rows whose
// data-* attribute holds the value chosen, says how many in its status
// region and keeps the choice in the address.
async function soaFilterCheck(site, context) {
  const url = site.url('soa/');
  if ((await status(url)) !== 200) return;
  const label = site.label('SoA filter');
  const w = await newWatchedPage(context, site);
  await step(label, async () => {
    await visit(w, url);
    const form = w.page.locator('form#soa-filter');
    let visible = true;
    await form.waitFor({ state: 'visible', timeout: 5000 }).catch(() => (visible = false));
    if (!check(`${label}: the form is shown`, visible, 'form#soa-filter still hidden 5 s after load')) return;
    for (const [field, attr] of [['applicable', 'data-applicable'], ['status', 'data-status'], ['coverage', 'data-coverage']]) {
      const values = await w.page.evaluate(
        ([f]) => [...document.querySelectorAll(`select[name=${f}] option`)].map((o) => o.value).filter(Boolean),
        [field],
      );
      for (const value of values) {
        await w.page.selectOption(`select[name=${field}]`, value);
        const r = await w.page.evaluate(([a, v]) => {
          const rows = [...document.querySelectorAll('table[data-filterable] tbody tr')];
          const want = rows.filter((tr) => (v === 'none' && a === 'data-status' ? (tr.getAttribute(a) || '') === '' : tr.getAttribute(a) === v));
          const shown = rows.filter((tr) => !tr.hidden);
          return {
            same: want.length === shown.length && want.every((tr) => !tr.hidden),
            want: want.length,
            shown: shown.length,
            said: document.querySelector('#soa-filter-status-text')?.textContent || '',
            query: location.search,
          };
        }, [attr, value]);
        check(
          `${label}: ${field}=${value} shows the ${r.want} rows with ${attr}="${value}"`,
          r.same && r.said.includes(r.want === 1 ? '1 control of' : `${r.want} controls of`) && r.query.includes(`${field}=${value}`),
          `${r.shown} shown, status "${r.said}", address "${r.query}"`,
        );
      }
      await w.page.selectOption(`select[name=${field}]`, '');
    }
  });
  await w.page.close();
}

// ---------------------------------------------------------------- search

// A word of 8+ letters that occurs in exactly one policy's entry (title,
// section or text) of search.json and in no other entry.
function pickSearchWord(entries) {
  const hay = entries.map((e) => `${e.title || ''} ${e.section || ''} ${e.text || ''}`.toLowerCase());
  const candidates = new Map(); // word -> entry index
  entries.forEach((e, i) => {
    if (!e.section) return; // policies are the pages in a section
    for (const m of (e.text || '').toLowerCase().matchAll(/\p{L}{8,}/gu)) candidates.set(m[0], candidates.has(m[0]) && candidates.get(m[0]) !== i ? -1 : i);
  });
  const words = [...candidates]
    .filter(([word, i]) => i >= 0 && hay.every((h, j) => j === i || !h.includes(word)))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return words.length ? { word: words[0][0], entry: entries[words[0][1]] } : null;
}

async function searchCheck(site, context) {
  const label = site.label('search');
  const res = await fetch(site.url('search.json'));
  if (!check(site.label('search.json'), res.status === 200, `HTTP ${res.status}`)) return;
  let index;
  try {
    index = await res.json();
  } catch (e) {
    check(site.label('search.json parses'), false, e.message);
    return;
  }
  const entries = Array.isArray(index?.pages) ? index.pages : null;
  if (!check(site.label('search.json has pages[] with title, url, text'), entries && entries.length > 0 && entries.every((e) => typeof e.title === 'string' && typeof e.url === 'string' && typeof e.text === 'string'), 'bad shape')) return;
  const bad = [];
  for (const e of entries) {
    if (!e.url.startsWith(site.prefix)) bad.push(`${e.url} (not under ${site.prefix})`);
    else if ((await status(new URL(e.url, site.origin).href)) !== 200) bad.push(`${e.url} (not 200)`);
  }
  check(site.label(`search.json URLs resolve (${entries.length})`), bad.length === 0, bad.slice(0, 5).join(', '));
  const pick = pickSearchWord(entries);
  if (!check(label, !!pick, 'no word of 8+ letters occurs in exactly one policy')) return;
  const target = new URL(pick.entry.url, site.origin).href;

  const w = await newWatchedPage(context, site);
  await step(`${label} "${pick.word}"`, async () => {
    await visit(w, site.base);
    const input = w.page.locator('input[type="search"]').first();
    if (!check(`${label}: input[type=search] on the home page`, (await input.count()) === 1, 'not found')) return;
    let visible = true;
    await input.waitFor({ state: 'visible', timeout: 5000 }).catch(() => (visible = false));
    if (!check(`${label}: the search box is visible`, visible, 'input[type=search] is hidden 5 s after load (the script did not reveal it?)')) return;
    // Links to the target that exist before typing (the register, the nav) do not count.
    await w.page.evaluate(() => document.querySelectorAll('a[href]').forEach((a) => a.setAttribute('data-before-search', '')));
    await input.click({ timeout: 5000 });
    await input.pressSequentially(pick.word, { delay: 15 });
    let found = true;
    try {
      await w.page.waitForFunction(
        (href) =>
          [...document.querySelectorAll('a[href]:not([data-before-search])')].some(
            (a) => a.href === href && a.getClientRects().length > 0,
          ),
        target,
        { timeout: 5000 },
      );
    } catch {
      found = false;
    }
    check(`${label} "${pick.word}" finds ${site.show(target)}`, found, 'no visible result link to the page appeared within 5 s');
    const live = await w.page.evaluate(() =>
      [...document.querySelectorAll('[role="status"], [aria-live]')]
        .map((e) => e.textContent.trim())
        .filter(Boolean),
    );
    check(`${label}: result count announced (role=status / aria-live)`, live.length > 0, 'no non-empty role=status or aria-live region after typing');
    await settle(w);
    check(`${label}: no errors while searching`, w.errors.length === 0, w.errors[0] || '', w.errors.slice(1, 6));
  });
  await w.page.close();
}

// ---------------------------------------------------------------- handbook

function pdfPageCount(buf) {
  return (buf.toString('latin1').match(/\/Type\s*\/Page\b/g) || []).length;
}

async function handbookCheck(site, context, pdfName) {
  const label = site.label('handbook');
  const url = site.url('handbook/');
  const w = await newWatchedPage(context, site);
  await step(label, async () => {
    const res = await visit(w, url);
    if (!check(`${label} ${site.show(url)}`, res && res.status() === 200, `page missing (HTTP ${res ? res.status() : '?'})`)) return;
    await w.page.emulateMedia({ media: 'print' });
    // A policy starts a printed page when it has break-before: page, or when it
    // is the first policy of an enclosing element (its section) that has.
    const policies = await w.page.evaluate(() => {
      const all = [...new Set(document.querySelectorAll('.handbook-policy, [data-policy]'))];
      const breaks = (el) => {
        const cs = getComputedStyle(el);
        return ['page', 'left', 'right', 'recto', 'verso'].includes(cs.breakBefore) || cs.pageBreakBefore === 'always';
      };
      const startsPage = (el) => {
        if (breaks(el)) return true;
        for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
          if (all.find((p) => a.contains(p)) !== el) return false;
          if (breaks(a)) return true;
        }
        return false;
      };
      return all.map((el) => {
        const cs = getComputedStyle(el);
        return {
          what: el.id ? `#${el.id}` : el.querySelector('h1, h2, h3')?.textContent.trim() || el.tagName,
          startsPage: startsPage(el),
          breakBefore: cs.breakBefore,
          pageBreakBefore: cs.pageBreakBefore,
        };
      });
    });
    const approved = pagesJson(site).filter((p) => p.layout === 'policy' && (p.front_matter?.status ?? 'approved') === 'approved');
    check(`${label}: one .handbook-policy per approved policy`, policies.length >= 2 && (approved.length === 0 || policies.length === approved.length), `${policies.length} elements, ${approved.length} approved policies in api/pages.json`);
    const noBreak = policies
      .slice(1)
      .filter((p) => !p.startsPage);
    check(
      `${label}: each policy after the first starts a new printed page`,
      policies.length >= 2 && noBreak.length === 0,
      policies.length < 2 ? 'fewer than 2 policies found' : `${noBreak.length} do not (no break-before: page on them or on their section)`,
      noBreak.slice(0, 5).map((p) => `${p.what}: break-before ${p.breakBefore}, page-break-before ${p.pageBreakBefore}`),
    );
    fs.mkdirSync(OUT, { recursive: true });
    const file = path.join(OUT, pdfName);
    const pdf = await w.page.pdf({ path: file, format: 'A4', printBackground: true });
    const n = pdfPageCount(pdf);
    check(`${label}: PDF has more pages than policies`, n > policies.length, `${n} PDF pages for ${policies.length} policies (${path.relative(process.cwd(), file)})`);
    await w.page.emulateMedia({ media: 'screen' });
    check(`${label}: no errors`, w.errors.length === 0, w.errors[0] || '', w.errors.slice(1, 6));
  });
  await w.page.close();
}

// ---------------------------------------------------------------- 404

async function notFoundCheck(site, context) {
  const url = site.url(`no-such-page-${process.pid}/`);
  const label = site.label(`404 ${site.show(url)}`);
  const res = await fetch(url);
  const body = Buffer.from(await res.arrayBuffer());
  check(`${label} status`, res.status === 404, `HTTP ${res.status}`);
  let page404 = null;
  try {
    page404 = fs.readFileSync(path.join(site.dir, '404.html'));
  } catch {}
  if (!check(`${label} body is the site's 404.html`, page404 && body.equals(page404), page404 ? 'body differs' : 'the build has no 404.html')) return;
  const w = await newWatchedPage(context, site);
  await step(`${label} in Chromium`, async () => {
    const r = await visit(w, url, { allow: [url] });
    const title = await w.page.title();
    check(`${label} in Chromium`, r.status() === 404 && /not found/i.test(title) && w.errors.length === 0, w.errors[0] || `HTTP ${r.status()}, title "${title}"`, w.errors.slice(1, 6));
  });
  await w.page.close();
}

// ---------------------------------------------------------------- history

// run.sh builds the example from scripts/example-repo.sh's repository, so
// the change tables show a policy programme: named people, approvals,
// reviews, the versions each page had. Checked in api/pages.json and in the
// policy page's rendered table (the page the screenshots show).
async function historyCheck(site) {
  const label = site.label('change history');
  const policies = pagesJson(site).filter((p) => p.layout === 'policy');
  const rows = policies.flatMap((p) => (p.history || []).filter((r) => r.kind === 'commit'));
  check(`${label}: every policy has commits`, policies.length > 0 && policies.every((p) => (p.history || []).some((r) => r.kind === 'commit')),
    policies.filter((p) => !(p.history || []).length).map((p) => p.url).slice(0, 5).join(', '));
  const authors = new Set(rows.map((r) => r.author));
  check(`${label}: written by the example's people`, authors.size >= 8 && authors.has('Maya Okafor') && authors.has('Tomás Herrera'),
    `authors: ${[...authors].join(', ')}`);
  check(`${label}: .mailmap applied`, !authors.has('Maya O') && !authors.has('Lena Schulz'), `authors: ${[...authors].join(', ')}`);
  check(`${label}: approvals and reviews`, rows.some((r) => (r.approved_by || []).length) && rows.some((r) => r.review && (r.reviewed_by || []).length));
  const access = policies.find((p) => p.url.endsWith('technology/access-control/'));
  const versions = (access?.history || []).filter((r) => r.kind === 'commit').map((r) => r.version).join(' ');
  check(`${label}: access control's versions`, versions === '2.1 2.0 1.4', `versions: ${versions}`);
  const remote = policies.find((p) => p.url.endsWith('people/remote-working/'));
  const first = (remote?.history || []).filter((r) => r.kind === 'commit').pop();
  check(`${label}: followed through the rename`, first && first.date === '2024-11-04', first ? `${first.date} ${first.summary}` : 'no history');
  const html = site.resources.get(policyUrl(site))?.html || '';
  const table = /<table class="history-table">([\s\S]*?)<\/table>/.exec(html)?.[1] || '';
  const names = [...authors].filter((a) => table.includes(a.replace(/&/g, '&amp;')));
  check(`${label}: shown on ${site.show(policyUrl(site))}`, (table.match(/<tr[ >]/g) || []).length >= 3 && names.length >= 1,
    table ? `${(table.match(/<tr[ >]/g) || []).length} rows, no author named` : 'no change history table');
  // The evidence each change carries (docs/evidence.md).
  const requests = rows.map((r) => r.request).filter(Boolean);
  check(`${label}: pull requests and merge requests`, requests.some((q) => q.startsWith('#')) && requests.some((q) => q.startsWith('!')),
    `requests: ${[...new Set(requests)].slice(0, 8).join(' ')}`);
  check(`${label}: a verified signature`, rows.some((r) => r.signature && r.signature.state === 'verified'),
    rows.filter((r) => r.signature && r.signature.state !== 'unsigned').map((r) => `${r.short} ${r.signature.state} ${r.signature.why || ''}`).join('; ') || 'no signed change');
  check(`${label}: material changes classified`, rows.some((r) => r.change_type === 'material'));
  check(`${label}: the table shows the evidence`, /class="evidence"/.test(table) && /(Pull|Merge) request [#!]\d+<\/a>/.test(table) && table.includes('Approved by'),
    'no request link or approver in the change table');
  const dash = site.resources.get(site.url('reviews/'))?.html || '';
  check(`${label}: the dashboard counts changes with and without evidence`, /With evidence<\/dt><dd class="health-count">\d+</.test(dash));
}

// ---------------------------------------------------------------- screenshots

async function screenshots(site, browser) {
  const t0 = Date.now();
  fs.mkdirSync(OUT, { recursive: true });
  const devices = {
    desktop: { viewport: { width: 1280, height: 900 } },
    phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
  };
  const targets = keyPages(site).filter(([name]) => name !== 'control');
  let n = 0;
  for (const [device, options] of Object.entries(devices)) {
    const context = await browser.newContext(options);
    const w = await newWatchedPage(context, site);
    const bodies = {};
    for (const [name, url] of targets) {
      for (const scheme of ['light', 'dark']) {
        const label = site.label(`screenshot ${name}-${device}-${scheme}`);
        await step(label, async () => {
          await w.page.emulateMedia({ colorScheme: scheme });
          const res = await visit(w, url);
          if (!check(label, res && res.status() === 200, `page missing (HTTP ${res ? res.status() : '?'}): ${site.show(url)}`)) return;
          await w.page.screenshot({ path: path.join(OUT, `${name}-${device}-${scheme}.png`), fullPage: true });
          n++;
          if (name === 'home') {
            bodies[scheme] = await w.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
          }
          if (device === 'phone' && scheme === 'light') {
            const sw = await w.page.evaluate(() => document.documentElement.scrollWidth);
            check(site.label(`${name} fits a 390 px phone screen`), sw <= 391, `page is ${sw} px wide (horizontal scrolling): ${site.show(url)}`);
          }
          check(`${label}: no errors`, w.errors.length === 0, w.errors[0] || '', w.errors.slice(1, 6));
        });
      }
    }
    if (bodies.light && bodies.dark) {
      check(site.label(`dark color scheme (${device})`), bodies.light !== bodies.dark, `body background is ${bodies.light} in both`);
    }
    await context.close();
  }
  console.log(`browser: ${site.label('screenshots')}: ${n} PNGs in ${path.relative(process.cwd(), OUT) || '.'}/, ${secs(t0)}`);
}

// ---------------------------------------------------------------- main

async function main() {
  const args = process.argv.slice(2);
  if (args.length === 0 || args.length % 3 !== 0) {
    console.error('usage: node test.mjs NAME DIR PREFIX [NAME DIR PREFIX ...]');
    process.exit(2);
  }
  const t0 = Date.now();
  // run.sh's builds: one "NAME<TAB>ok" or "NAME<TAB>what went wrong" a line.
  for (const line of (process.env.BROWSER_BUILDS || '').split('\n').filter(Boolean)) {
    const [name, result] = line.split('\t');
    check(`[${name}] charter build`, result === 'ok', result);
  }
  fs.mkdirSync(OUT, { recursive: true });
  for (const f of fs.readdirSync(OUT)) if (/\.(png|pdf)$/.test(f)) fs.rmSync(path.join(OUT, f));
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  try {
    for (let i = 0; i < args.length; i += 3) {
      const [name, dir, prefix] = args.slice(i, i + 3);
      const server = await startServer({ root: dir, prefix, extra: { [AXE_URL_PATH]: AXE_FILE } });
      const site = new Site(name, dir, prefix, server);
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      try {
        await step(site.label('crawl'), () => crawl(site));
        await step(site.label('expected pages'), () => expectedPages(site));
        await step(site.label('Chromium crawl'), () => browserCrawl(site, context));
        await step(site.label('axe'), () => axeCheck(site, context));
        await step(site.label('search'), () => searchCheck(site, context));
        await step(site.label('SoA filter'), () => soaFilterCheck(site, context));
        await step(site.label('handbook'), () => handbookCheck(site, context, i === 0 ? 'handbook.pdf' : `handbook-${name}.pdf`));
        await step(site.label('404'), () => notFoundCheck(site, context));
        await step(site.label('history'), () => historyCheck(site));
        if (i === 0) await step(site.label('screenshots'), () => screenshots(site, browser));
      } finally {
        await context.close();
        await server.close();
      }
    }
  } finally {
    await browser.close();
  }
  console.log(`browser: done in ${secs(t0)}`);
  console.log(`browser: ${nChecks} checks, ${nFailed} failed`);
  process.exit(nFailed ? 1 : 0);
}

await main();
