// Hostile text (issue 14, item 6) in every text field the public pages show
// — region, unit, venue and event names, a venue's accessibility text, an
// exclusion's reason — made through the API, then rendered in a real
// browser: no dialog opens, no script of theirs runs, no element or
// attribute of theirs exists, and each text is shown literally.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { expectAccessible, expectClean, launch, openPage } from './lib/browser.mjs';
import { helsinkiDate, Kaiku } from './lib/kaiku.mjs';

// Each tries another way out of the text: a tag, an attribute, a URL.
const NASTY = {
  region: `<b onmouseover="window.__pwned='region'">Vihamielinen</b> & "lainaus" 'heittomerkki'`,
  unit: `<iframe src="javascript:window.__pwned='unit'"></iframe>`,
  venue: `<script>window.__pwned='venue';alert('venue')</script>`,
  popup: `javascript:alert('popup')`,
  access: `</dd></dl><img src=x onerror="window.__pwned='img';alert('img')">`,
  event: `"><svg onload="alert('event')"><a href="javascript:alert('a')">Klikkaa</a>`,
  reason: `'); alert('reason'); (' <style>body{display:none}</style>`,
};

let kaiku, browser;

before(async () => {
  kaiku = await new Kaiku().start();
  browser = await launch();
  const nat = await kaiku.token('tuki');
  const ok = async (path, body, status = 201) => {
    const r = await kaiku.api('POST', path, body, nat);
    assert.equal(r.status, status, `${path}: ${JSON.stringify(r.body)}`);
    return r.body;
  };
  await ok('/api/v1/regions', { id: 'hostile', name: NASTY.region });
  await ok('/api/v1/units', { id: 'hostile-unit', region: 'hostile', name: NASTY.unit });
  await ok('/api/v1/venues', {
    id: 'hostile-venue', region: 'hostile', name: NASTY.venue, category: 'theatre',
    accessibility: NASTY.access, free_cloakroom: true,
  });
  await ok('/api/v1/venues', {
    id: 'hostile-popup', region: null, name: NASTY.popup, category: 'museum', accessibility: NASTY.access,
  });
  const day = helsinkiDate(2);
  await ok('/api/v1/events', {
    venue: 'hostile-venue', name: NASTY.event, kind: 'performance', starts_at: `${day}T18:00`,
    capacity: 100, booking_opens_days: 7,
  });
  await ok('/api/v1/events', {
    venue: 'hostile-venue', name: NASTY.venue, kind: 'course', starts_at: `${day}T19:00`,
    capacity: 20, excluded: true, exclusion_reason: NASTY.reason,
  });
});

after(async () => {
  await browser?.close();
  assert.equal(await kaiku?.stop(), 0);
});

// What the page's own markup may hold, and nothing the hostile texts brought.
async function expectInert(page, what) {
  const found = await page.evaluate(() => ({
    pwned: window.__pwned ?? null,
    scripts: [...document.scripts].map((s) => s.src ? new URL(s.src).pathname : 'inline'),
    styles: document.querySelectorAll('style').length,
    foreign: document.querySelectorAll('main iframe, main svg, main img, main b').length,
    handlers: [...document.querySelectorAll('*')].flatMap((e) =>
      [...e.attributes].filter((a) => a.name.startsWith('on')).map((a) => `${e.tagName} ${a.name}`)),
    jsLinks: [...document.querySelectorAll('a[href]')].filter((a) => /^\s*javascript:/i.test(a.getAttribute('href'))).length,
    shown: getComputedStyle(document.body).display !== 'none' && document.body.getBoundingClientRect().height > 0,
  }));
  assert.equal(found.pwned, null, `${what}: a hostile script ran`);
  assert.deepEqual(found.scripts, ['/static/kaiku.js'], `${what}: only kaiku's own script`);
  assert.equal(found.styles, 0, `${what}: a <style> got in`);
  assert.equal(found.foreign, 0, `${what}: an element from the text`);
  assert.deepEqual(found.handlers, [], `${what}: event handler attributes`);
  assert.equal(found.jsLinks, 0, `${what}: a javascript: link`);
  assert.ok(found.shown, `${what}: the page was hidden by injected CSS`);
  expectClean(page, what);
}

test('hostile names and texts are shown literally and stay inert', async () => {
  const page = await openPage(browser, { lang: 'fi' });
  const shows = async (path, texts) => {
    const res = await page.goto(kaiku.url + path);
    assert.equal(res.status(), 200, path);
    // hover everything, in case an onmouseover got through
    for (const el of await page.locator('main h1, main h2, main h3, main li').all()) await el.hover({ timeout: 2000 }).catch(() => {});
    const main = await page.innerText('main');
    for (const t of texts) assert.ok(main.includes(t), `${path} shows ${t} literally:\n${main}`);
    await expectInert(page, path);
    await expectAccessible(page, path);
  };
  await shows('/offer', [NASTY.region, NASTY.popup, NASTY.access]);
  await shows('/offer/hostile', [NASTY.region, NASTY.venue, NASTY.access, NASTY.event,
    `Ei Kaikukortilla. Syy: ${NASTY.reason}`, NASTY.popup]);
  await shows('/where', [NASTY.region, NASTY.unit]);
  // The region's name in the title is text too.
  await page.goto(kaiku.url + '/offer/hostile');
  assert.ok((await page.title()).includes(NASTY.region));
  assert.deepEqual(page.dialogs, []);
  await page.context().close();
});

test('a hostile value typed into the card check comes back as text', async () => {
  const page = await openPage(browser, { lang: 'en' });
  await page.goto(kaiku.url + '/check');
  const typed = `"><script>alert('check')</script>`;
  await page.fill('#card', typed);
  await page.click('#check-submit');
  await page.waitForSelector('#card-error');
  assert.equal(await page.inputValue('#card'), typed);
  await expectInert(page, '/check');
  await page.context().close();
});
