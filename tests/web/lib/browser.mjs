// Debian's chromium driven by playwright-core (no browser is downloaded), and
// axe-core run inside the page from node_modules (no CDN).
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
// Where screenshots go: KAIKU_WEB_SHOTS (run.sh sets it to web-shots/ beside
// the kaiku binary, so a test run leaves the committed pictures alone; set it
// to docs/guide/img to refresh the guide's pictures).
export const GUIDE_IMG = resolve(process.env.KAIKU_WEB_SHOTS || join(ROOT, 'docs', 'guide', 'img'));

export const CHROMIUM = process.env.KAIKU_CHROMIUM || '/usr/bin/chromium';
// Without the background-networking flags chromium keeps dialling Google's
// hosts, which this machine's closed network refuses.
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage'];

export const LANGS = ['fi', 'sv', 'en'];
export const ACCEPT = { fi: 'fi-FI,fi;q=0.9', sv: 'sv-FI,sv;q=0.9', en: 'en-GB,en;q=0.9' };

// A browser. playwright's launch gives chromium a new, empty profile folder
// (--user-data-dir) of its own and removes it on close.
export async function launch() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
}

// A page in a context of its own (its own cookie jar: a new visitor), as a
// person with the browser set to lang would see it (Accept-Language), width
// px wide. Every console error, page error, CSP violation and dialog is
// recorded in page.problems / page.dialogs, and expectClean(page) fails on
// any. js: false turns the page's scripts off. Close it with
// page.context().close().
export async function openPage(browser, { lang = 'fi', width = 1280, height = 900, js = true } = {}) {
  const context = await browser.newContext({
    javaScriptEnabled: js,
    viewport: { width, height }, locale: { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' }[lang],
    extraHTTPHeaders: { 'Accept-Language': ACCEPT[lang] },
  });
  const page = await context.newPage();
  page.problems = [];
  page.dialogs = [];
  // Documents loaded in the main frame: a 400 or 404 page is a status the
  // test asserts, not a broken resource (chromium logs it as an error).
  const documents = new Set();
  page.on('request', (req) => {
    if (req.isNavigationRequest() && req.frame() === page.mainFrame()) documents.add(req.url());
  });
  page.on('console', (m) => {
    const url = m.location().url || '';
    const ownStatus = documents.has(url) && /^Failed to load resource/.test(m.text());
    // chromium asks every site for /favicon.ico on its own; that is no page's doing
    if (m.type() === 'error' && !ownStatus && !/\/favicon\.ico$/.test(url)) {
      page.problems.push('console: ' + m.text() + (m.location().url ? ' (' + m.location().url + ')' : ''));
    }
  });
  page.on('pageerror', (e) => page.problems.push('page error: ' + e.message));
  page.on('dialog', async (d) => { page.dialogs.push(d.message()); await d.dismiss(); });
  return page;
}

export function expectClean(page, what) {
  if (page.problems.length || page.dialogs.length) {
    throw new Error(`${what}: ${[...page.problems, ...page.dialogs.map((d) => 'dialog: ' + d)].join('\n')}`);
  }
}

// axe-core with the WCAG 2.1 A and AA rules on what the page shows now.
// page.evaluate runs outside the page's CSP, so axe needs no 'unsafe-inline'.
export async function axe(page) {
  const has = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!has) await page.evaluate(AXE_SOURCE);
  // axe runs on the page's timers: with the page's scripts off it would wait
  // forever, so a test fails after 30 s instead of hanging.
  let timer;
  const late = new Promise((resolve, reject) => {
    timer = setTimeout(() => reject(new Error('axe did not finish in 30 s on ' + page.url())), 30000);
  });
  return Promise.race([late, page.evaluate(async () => {
    const r = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    });
    return r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map((n) => n.target.join(' ') + ': ' + n.failureSummary.replace(/\s+/g, ' ')),
    }));
  })]).finally(() => clearTimeout(timer));
}

// Fails, naming every rule and element, unless axe finds no violation.
export async function expectAccessible(page, what) {
  const v = await axe(page);
  if (v.length) {
    const lines = v.map((x) => `  ${x.id} (${x.impact}): ${x.help}\n` +
      x.nodes.slice(0, 5).map((n) => '    ' + n).join('\n'));
    throw new Error(`${what} (${page.url()}): ${v.length} WCAG 2.1 AA violation(s)\n${lines.join('\n')}`);
  }
}

// A PNG GUIDE_IMG/NAME.png for docs/guide (only the ones the guides use are
// committed; the rest are ignored by .gitignore).
// What the window shows, unless fullPage: the guide's pictures stay small.
// top: scrolled to the top of the page first (the focus may have moved it);
// at: scrolled so that the element at this selector is at the top.
export async function screenshot(page, name, { fullPage = false, top = false, at = null } = {}) {
  mkdirSync(GUIDE_IMG, { recursive: true });
  if (top) await page.evaluate(() => window.scrollTo(0, 0));
  if (at) await page.locator(at).evaluate((e) => e.scrollIntoView({ block: 'start' }));
  const path = join(GUIDE_IMG, name + '.png');
  await page.screenshot({ path, fullPage, animations: 'disabled', caret: 'hide' });
  return path;
}
