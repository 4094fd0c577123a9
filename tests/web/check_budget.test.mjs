// "Check my card" spends the guessing budget (http/ratelimit.h, api.md: at
// most 100 unknown codes per caller in 10 minutes): the refusal says in
// plain words when to try again, in each language, and passes axe. A
// visitor's budget is their address's own: another address still checks.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, test } from 'node:test';
import { expectAccessible, expectClean, LANGS, launch, openPage } from './lib/browser.mjs';
import { Kaiku } from './lib/kaiku.mjs';

let kaiku, browser;

before(async () => {
  kaiku = await new Kaiku({ demo: false }).start();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  assert.equal(await kaiku?.stop(), 0);
});

// POST /check as a form from localAddress: { status, location, body }.
function postCheck(code, localAddress = '127.0.0.1') {
  const body = 'card=' + encodeURIComponent(code);
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1', port: kaiku.port, path: '/check', method: 'POST', localAddress,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': body.length },
    }, (res) => {
      let text = '';
      res.on('data', (c) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

test('100 unknown codes, then a refusal that says when to try again', async () => {
  for (let i = 0; i < 100; i++) {
    const r = await postCheck('NOPE' + i);
    assert.equal(r.status, 303, `guess ${i}`);
    assert.equal(r.headers.location, '/check');
    assert.match(r.headers['set-cookie']?.[0] ?? '', /^kaiku_check=unknown;.*HttpOnly/);
  }
  const r = await postCheck('NOPE100');
  assert.equal(r.status, 429);
  const retry = Number(r.headers['retry-after']);
  assert.ok(retry >= 1 && retry <= 600, r.headers['retry-after']);
  // The visitor's own budget: another address is not refused.
  const other = await postCheck('NOPE101', '127.0.0.2');
  assert.equal(other.status, 303, 'a visitor at another address still checks cards');

  const minutes = { fi: /minuut/, sv: /minut/, en: /minute/ };
  for (const lang of LANGS) {
    const page = await openPage(browser, { lang });
    await page.goto(kaiku.url + '/check');
    await page.fill('#card', 'NOPE200');
    const [res] = await Promise.all([page.waitForNavigation(), page.click('#check-submit')]);
    assert.equal(res.status(), 429, lang);
    const text = await page.innerText('main');
    assert.match(text, minutes[lang], `${lang}: ${text}`);
    assert.match(text, /\d/, 'the number of minutes to wait');
    await expectAccessible(page, `429 (${lang})`);
    expectClean(page, lang);
    await page.context().close();
  }
});
