// The harness itself: kaiku comes up on a loopback port and stops cleanly;
// Debian's chromium opens it; axe runs inside a page with kaiku's CSP and
// reports a violation when there is one (so a page that passes, passed).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { after, before, test } from 'node:test';
import { axe, expectAccessible, expectClean, launch, openPage } from './lib/browser.mjs';
import { Kaiku } from './lib/kaiku.mjs';

// The policy of kaiku's pages (issue 14, item 6).
const CSP = "default-src 'self'; frame-ancestors 'none'";

let kaiku, browser, fixture, fixtureUrl;

before(async () => {
  kaiku = await new Kaiku({ demo: false }).start();
  browser = await launch();
  fixture = createServer((req, res) => {
    const name = req.url === '/bad' ? 'bad.html' : 'good.html';
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': CSP });
    res.end(readFileSync(new URL('./fixtures/' + name, import.meta.url)));
  });
  await new Promise((r) => fixture.listen(0, '127.0.0.1', r));
  fixtureUrl = `http://127.0.0.1:${fixture.address().port}`;
});

after(async () => {
  await browser?.close();
  fixture?.close();
  const rc = await kaiku?.stop();
  assert.equal(rc, 0, 'kaiku serve exits 0 on SIGTERM');
});

test('kaiku serve answers /healthz on its loopback port, in chromium too', async () => {
  const page = await openPage(browser);
  const res = await page.goto(kaiku.url + '/healthz');
  assert.equal(res.status(), 200);
  assert.deepEqual(JSON.parse(await page.innerText('body')), { status: 'ok' });
  expectClean(page, '/healthz');
  await page.context().close();
});

test('axe finds no violation on an accessible page under the CSP', async () => {
  const page = await openPage(browser, { lang: 'en', width: 360 });
  await page.goto(fixtureUrl + '/good');
  await expectAccessible(page, 'good fixture');
  expectClean(page, 'good fixture');
  await page.context().close();
});

test('axe reports the violations of a broken page, and an inline script is a CSP problem', async () => {
  const page = await openPage(browser);
  await page.goto(fixtureUrl + '/bad');
  const ids = (await axe(page)).map((v) => v.id).sort();
  for (const id of ['html-has-lang', 'image-alt', 'label']) assert.ok(ids.includes(id), `axe saw ${id}: ${ids}`);
  await assert.rejects(expectAccessible(page, 'bad fixture'), /image-alt/);
  assert.throws(() => expectClean(page, 'bad fixture'), /Content Security Policy/);
  await page.context().close();
});
