// The national service's pages (issue 17, items 3 and 5) in a real browser:
// regions and pilots, pop-up venues, the audit log, national statistics.
// axe on every page type in fi, sv and en; the main flow once (a pilot
// ended, the national figures read with the previous year beside, the
// change found in the audit log), hostile names inert, and screenshots for
// docs/guide.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { expectAccessible, LANGS, launch, openPage, screenshot } from './lib/browser.mjs';
import { Kaiku } from './lib/kaiku.mjs';
import { expectInert, posted, signIn } from './lib/network.mjs';
import { text } from './lib/po.mjs';

const NAT = 'tuki';
const NASTY = {
  region: `<b onmouseover="window.__pwned='region'">Vihamielinen</b> & "lainaus"`,
  popup: `javascript:alert('popup')`,
};
let kaiku, browser, nat;

before(async () => {
  kaiku = await new Kaiku().start();
  browser = await launch();
  nat = await kaiku.token(NAT);
});

after(async () => {
  await browser?.close();
  assert.equal(await kaiku?.stop(), 0);
});

const PAGES = ['/national', '/national/regions/kainuu', '/national/popups', '/national/audit',
  '/national/audit?action=region', '/national/stats'];

for (const lang of LANGS) {
  test(`every national page type is accessible and inert (${lang})`, async () => {
    const page = await openPage(browser, { lang });
    await signIn(kaiku, page, NAT, '/national', lang);
    for (const path of PAGES) {
      const res = await page.goto(kaiku.url + path);
      assert.equal(res.status(), 200, path);
      await expectAccessible(page, `${path} (${lang})`);
      await expectInert(page, `${path} (${lang})`);
    }
    // a refusal in words next to its field
    await page.goto(kaiku.url + '/national');
    await page.fill('#id', 'Ei Kelpaa');
    await page.fill('#name', '   '); // blanks pass the browser's check, not the server's
    await posted(kaiku, page, '/national/regions', () => page.click('#region-add-submit'));
    assert.ok((await page.innerText('#id-error')).includes(text(lang, 'page.coord.err.id')));
    assert.ok((await page.innerText('#error-summary')).includes(text(lang, 'page.coord.err.name')));
    await expectAccessible(page, `region refused (${lang})`);
    await page.context().close();
  });
}

test('the national service ends a pilot and reads the national figures', async () => {
  // For the Swedish and English guides: the regions, Kainuu still a pilot.
  for (const lang of ['sv', 'en']) {
    const other = await openPage(browser, { lang });
    await signIn(kaiku, other, NAT, '/national', lang);
    await screenshot(other, `national-regions-${lang}`, { top: true });
    await other.context().close();
  }
  const page = await openPage(browser, { lang: 'fi' });
  await signIn(kaiku, page, NAT, '/national', 'fi');
  let regions = (await kaiku.api('GET', '/api/v1/regions', undefined, nat)).body.regions;
  assert.ok(regions.find((g) => g.id === 'kainuu').pilot_ends_on, 'the demo pilots Kainuu');
  await screenshot(page, 'valtakunnallinen-alueet', { top: true });
  await page.click('a[href="/national/regions/kainuu"]');
  await screenshot(page, 'valtakunnallinen-pilotti', { top: true });
  await posted(kaiku, page, '/national', () => page.click('#end-pilot-submit'));
  assert.ok((await page.innerText('#outcome')).includes(text('fi', 'page.national.region.ended', 'Kainuun maakunta')));
  regions = (await kaiku.api('GET', '/api/v1/regions', undefined, nat)).body.regions;
  assert.equal(regions.find((g) => g.id === 'kainuu').pilot_ends_on, null);
  // a new pilot end, by the form's date field
  await page.goto(kaiku.url + '/national/regions/kainuu');
  await page.fill('#pilot_ends_on', '2029-06-30');
  await posted(kaiku, page, '/national', () => page.click('#region-edit-submit'));
  regions = (await kaiku.api('GET', '/api/v1/regions', undefined, nat)).body.regions;
  assert.equal(regions.find((g) => g.id === 'kainuu').pilot_ends_on, '2029-06-30');
  // the change in the audit log, filtered by what
  await page.goto(kaiku.url + '/national/audit');
  await page.fill('#action', 'region.pilot');
  await page.click('#audit-filter');
  await page.waitForURL(/action=region.pilot/);
  const log = await page.innerText('#audit');
  assert.ok(log.includes('region:kainuu') && log.includes(NAT), log);
  await screenshot(page, 'valtakunnallinen-loki', { top: true });
  // R31's statistics (issue 16), each beside the previous year, as the API counts them
  await page.goto(kaiku.url + '/national/stats');
  const year = Number(await page.inputValue('#year'));
  const api = (await kaiku.api('GET', `/api/v1/reports/statistics?year=${year}`, undefined, nat)).body;
  const fig = (rows, region, figure) => rows.find((g) => (!region || g.region === region) && g.figure === figure);
  const digits = (s) => s.replace(/[\s\u00a0]/g, '');
  const handed = fig(api.regions, 'espoo', 'handed_out');
  assert.ok(handed.value > 0 && handed.previous_year > 0, 'the demo hands out cards in both years');
  const row = await page.locator('#chart-handed-table tbody tr', { hasText: 'Espoo' }).innerText();
  assert.ok(digits(row).includes(String(handed.value) + String(handed.previous_year)),
    `${row} vs ${handed.value} and ${handed.previous_year}`);
  assert.equal(await page.locator('#chart-handed-table thead th').count(), 3, 'this year and the year before');
  assert.equal(await page.getAttribute('#chart-uses', 'role'), 'img');
  // the uses by domain for the whole country, which add up to the uses
  assert.equal(await page.getAttribute('#chart-domains', 'role'), 'img');
  assert.equal(await page.locator('#chart-domains-table tbody tr').count(), 5);
  let sum = 0;
  for (const domain of ['culture', 'education', 'science', 'sports', 'other']) {
    const f = fig(api.combined, null, 'uses_' + domain);
    sum += f.value;
    const cells = await page.locator('#chart-domains-table tbody tr', { hasText: text('fi', 'page.stats.fig.uses_' + domain) })
      .locator('td').allInnerTexts();
    assert.deepEqual(cells.map(digits), [String(f.value), String(f.previous_year)], domain);
  }
  assert.equal(sum, fig(api.combined, null, 'uses').value);
  assert.ok(fig(api.combined, null, 'uses_culture').value > 0 && fig(api.combined, null, 'uses_sports').value > 0,
    'the demo has uses at theatres and swimming halls');
  // the table names each figure in words, not by its id
  const table = await page.innerText('#stats-table');
  assert.ok(table.includes(text('fi', 'page.stats.fig.uses_science')) && !table.includes('uses_science'));
  await screenshot(page, 'valtakunnallinen-tilastot', { top: true });
  await page.context().close();
});

test('a pop-up venue is added and hostile names stay text', async () => {
  // made last, so that the guide's pictures above show the demo's names
  const r = await kaiku.api('POST', '/api/v1/regions', { id: 'hostile', name: NASTY.region }, nat);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const page = await openPage(browser, { lang: 'en', js: false });
  await signIn(kaiku, page, NAT, '/national', 'en');
  await page.goto(kaiku.url + '/national/popups');
  await page.fill('#id', 'hostile-popup');
  await page.fill('#name', NASTY.popup);
  await page.selectOption('#category', 'festival');
  await page.check('#free_cloakroom');
  await posted(kaiku, page, '/national/popups', () => page.click('#popup-add-submit'));
  const venues = (await kaiku.api('GET', '/api/v1/venues')).body.venues;
  const v = venues.find((x) => x.id === 'hostile-popup');
  assert.equal(v.region, null);
  assert.equal(v.free_cloakroom, true);
  for (const [path, texts] of [['/national/popups', [NASTY.popup]], ['/national', [NASTY.region]],
    ['/national/stats', [NASTY.region]], ['/national/audit?action=venue.add', ['venue:hostile-popup']]]) {
    await page.goto(kaiku.url + path);
    for (const el of await page.locator('main th, main td').all()) await el.hover({ timeout: 500 }).catch(() => {});
    await expectInert(page, path, texts);
  }
  await page.context().close();
});
