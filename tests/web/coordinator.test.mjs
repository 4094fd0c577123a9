// The coordinator's pages (issue 17, items 2 and 5) in a real browser, as
// Espoo's coordinator uses them: the region at a glance, units, venues and
// users, card stock, reports. axe on every page type in fi, sv and en; the
// main flow once (a range of codes added, a transfer approved, the
// cardholder report downloaded), a user disabled and re-enabled, hostile
// names inert, and screenshots for docs/guide.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { expectAccessible, LANGS, launch, openPage, screenshot } from './lib/browser.mjs';
import { Kaiku } from './lib/kaiku.mjs';
import { expectInert, posted, signIn } from './lib/network.mjs';
import { plural, text } from './lib/po.mjs';

const COORD = 'koord-espoo';
const NASTY = {
  unit: `<script>window.__pwned='unit';alert('unit')</script> Yksikkö`,
  venue: `"><img src=x onerror="window.__pwned='venue'"> Kohde`,
  user: 'vihainen-kayttaja',
};
let kaiku, browser, nat, coord;

before(async () => {
  kaiku = await new Kaiku().start();
  browser = await launch();
  nat = await kaiku.token('tuki');
  coord = await kaiku.token(COORD);
});

after(async () => {
  await browser?.close();
  assert.equal(await kaiku?.stop(), 0);
});

const PAGES = ['/region', '/region/units', '/region/venues', '/region/users', '/region/stock',
  '/region/reports', '/region/reports?venue=teatteri-hilla', '/region/units/espoo-tapiola',
  '/region/venues/teatteri-hilla',
  '/region/users/jakaja-tapiola/disable', '/region/users/jakaja-tapiola/password'];

for (const lang of LANGS) {
  test(`every coordinator page type is accessible and inert (${lang})`, async () => {
    const page = await openPage(browser, { lang });
    await signIn(kaiku, page, COORD, '/region', lang);
    for (const path of PAGES) {
      const res = await page.goto(kaiku.url + path);
      assert.equal(res.status(), 200, path);
      await expectAccessible(page, `${path} (${lang})`);
      await expectInert(page, `${path} (${lang})`);
    }
    // the charts: an image with its title, and the figures as a table
    await page.goto(kaiku.url + '/region');
    assert.equal(await page.getAttribute('#chart-stock', 'role'), 'img');
    assert.equal(await page.textContent('#chart-stock-title'), text(lang, 'page.coord.glance.stock'));
    assert.ok(await page.locator('#chart-stock-table tbody tr').count() >= 3);
    // refusals next to their fields, summarised at the top
    await page.goto(kaiku.url + '/region/stock');
    await page.fill('#codes', 'E9-E1');
    await posted(kaiku, page, '/region/stock', () => page.click('#stock-add-submit'));
    assert.ok((await page.innerText('#error-summary')).includes(text(lang, 'page.coord.stock.err.unit')));
    assert.ok((await page.innerText('#codes-error')).includes('E9-E1'));
    await expectAccessible(page, `stock refused (${lang})`);
    if (lang === 'fi') await screenshot(page, 'koordinaattori-varasto-virhe', { top: true });
    await page.context().close();
  });
}

test('a coordinator adds a range of codes, approves a transfer and downloads the cardholder report', async () => {
  const page = await openPage(browser, { lang: 'fi' });
  await signIn(kaiku, page, COORD, '/region', 'fi');
  await screenshot(page, 'koordinaattori-alue', { top: true });
  // a unit asks for more cards; the request shows as waiting
  const dist = await kaiku.token('jakaja-tapiola');
  await page.goto(kaiku.url + '/region/stock');
  // a range with an en dash, all or nothing (R3)
  await page.selectOption('#unit', 'espoo-tapiola');
  await page.fill('#codes', 'E7000–E7049');
  await posted(kaiku, page, '/region/stock', () => page.click('#stock-add-submit'));
  assert.ok((await page.innerText('#outcome')).includes(plural('fi', 'page.coord.stock.add.done', 50, '50',
    'Tapiolan mielenterveys- ja päihdepalvelut')));
  let r = await kaiku.api('GET', '/api/v1/cards/E7049', undefined, nat);
  assert.equal(r.body.status, 'not_issued');
  // again, overlapping: nothing added, the code named
  await page.selectOption('#unit', 'espoo-tapiola');
  await page.fill('#codes', 'E7049-E7060');
  await posted(kaiku, page, '/region/stock', () => page.click('#stock-add-submit'));
  assert.ok((await page.innerText('#codes-error')).includes('E7049'));
  assert.equal((await kaiku.api('GET', '/api/v1/cards/E7050', undefined, nat)).status, 404);
  // a transfer requested by the unit, approved here
  r = await kaiku.api('POST', '/api/v1/transfers', { codes: ['E7000', 'E7001'], from_unit: 'espoo-tapiola',
    to_unit: 'espoo-leppavaara' }, dist);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  await page.goto(kaiku.url + '/region/stock');
  await screenshot(page, 'koordinaattori-varasto', { at: '#transfers' });
  await posted(kaiku, page, '/region/stock', () => page.click(`#approve-${r.body.id}`));
  assert.ok((await page.innerText('#outcome')).includes(plural('fi', 'page.coord.stock.transfer.approved', 2, r.body.id, '2')));
  const moved = await kaiku.api('GET', `/api/v1/transfers?status=approved`, undefined, coord);
  assert.ok(moved.body.transfers.some((t) => t.id === r.body.id));
  // the cardholder report on screen and as a download
  await page.goto(kaiku.url + '/region/reports');
  assert.ok(await page.locator('#cardholders-gender tbody tr').count() === 4);
  await screenshot(page, 'koordinaattori-raportit', { top: true });
  // R31's statistics of the region beside the previous year, as the API counts them (issue 16)
  const year = Number(await page.inputValue('#year'));
  const stats = (await kaiku.api('GET', `/api/v1/reports/statistics?year=${year}`, undefined, coord)).body;
  const fig = (figure) => stats.combined.find((g) => g.figure === figure);
  const digits = (s) => s.replace(/[\s\u00a0]/g, '');
  assert.ok(fig('handed_out').value > 0 && fig('uses_culture').value > 0, 'the demo counts Espoo');
  for (const figure of ['handed_out', 'uses', 'events']) {
    const cells = await page.locator('#chart-region-figures-table tbody tr', { hasText: text('fi', 'page.stats.fig.' + figure) })
      .first().locator('td').allInnerTexts();
    assert.deepEqual(cells.map(digits), [String(fig(figure).value), String(fig(figure).previous_year)], figure);
  }
  let sum = 0;
  for (const domain of ['culture', 'education', 'science', 'sports', 'other']) {
    const f = fig('uses_' + domain);
    sum += f.value;
    const cells = await page.locator('#chart-region-domains-table tbody tr', { hasText: text('fi', 'page.stats.fig.uses_' + domain) })
      .locator('td').allInnerTexts();
    assert.deepEqual(cells.map(digits), [String(f.value), String(f.previous_year)], domain);
  }
  assert.equal(sum, fig('uses').value, 'the domains add up to the uses');
  assert.equal(await page.getAttribute('#chart-region-domains', 'role'), 'img');
  await screenshot(page, 'koordinaattori-tilastot', { at: '#stats' });
  const [download] = await Promise.all([page.waitForEvent('download'),
    page.click('#cardholders-downloads a[href*="/csv"]')]);
  const csv = readFileSync(await download.path(), 'utf8');
  assert.match(download.suggestedFilename(), /^cardholders-espoo-\d{4}\.csv$/);
  const onScreen = (await page.innerText('#cardholders-total td.num')).match(/\d[\d\s\u00a0]*/)[0].replace(/\D/g, '');
  assert.ok(csv.split('\r\n').some((line) => line.endsWith(',' + onScreen)), `the total ${onScreen} in\n${csv.slice(0, 300)}`);
  await page.context().close();
  // For the Swedish and English guides: the region at a glance and the card
  // stock with the requests and the transfer decided above.
  for (const lang of ['sv', 'en']) {
    const other = await openPage(browser, { lang });
    await signIn(kaiku, other, COORD, '/region', lang);
    await screenshot(other, `coordinator-region-${lang}`, { top: true });
    await other.goto(kaiku.url + '/region/stock');
    await screenshot(other, `coordinator-stock-${lang}`, { top: true });
    await other.context().close();
  }
});

test('a coordinator changes a venue\'s name and category; a refusal is next to its field', async () => {
  let r = await kaiku.api('POST', '/api/v1/venues', { id: 'espoo-kulttuurikeskus', region: 'espoo',
    name: 'Espoon kulttuurikeskus', category: 'other' }, coord);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const page = await openPage(browser, { lang: 'fi' });
  await signIn(kaiku, page, COORD, '/region', 'fi');
  await page.goto(kaiku.url + '/region/venues');
  await page.click('a[href="/region/venues/espoo-kulttuurikeskus"]');
  assert.equal(await page.inputValue('#name'), 'Espoon kulttuurikeskus');
  // an empty name: refused beside the field, nothing written
  await page.fill('#name', '   ');
  await page.selectOption('#category', 'music');
  await posted(kaiku, page, '/region/venues/espoo-kulttuurikeskus', () => page.click('#venue-edit-submit'));
  assert.ok((await page.innerText('#name-error')).includes(text('fi', 'page.coord.err.name')));
  assert.ok((await page.innerText('#error-summary')).includes(text('fi', 'page.coord.err.name')));
  await expectAccessible(page, 'venue edit refused');
  await screenshot(page, 'koordinaattori-kohde-virhe', { top: true });
  r = await kaiku.api('GET', '/api/v1/venues?region=espoo', undefined, coord);
  let ve = r.body.venues.find((v) => v.id === 'espoo-kulttuurikeskus');
  assert.equal(ve.name, 'Espoon kulttuurikeskus');
  assert.equal(ve.category, 'other', 'nothing half-written');
  // a new name and category: saved, shown in the list
  await page.fill('#name', 'Tapiolan kulttuurikeskus');
  await page.selectOption('#category', 'music');
  await posted(kaiku, page, '/region/venues', () => page.click('#venue-edit-submit'));
  assert.ok((await page.innerText('#outcome')).includes(text('fi', 'page.coord.venue.saved', 'Tapiolan kulttuurikeskus')));
  assert.ok((await page.innerText('#venues')).includes('Tapiolan kulttuurikeskus'));
  r = await kaiku.api('GET', '/api/v1/venues?region=espoo', undefined, coord);
  ve = r.body.venues.find((v) => v.id === 'espoo-kulttuurikeskus');
  assert.equal(ve.name, 'Tapiolan kulttuurikeskus');
  assert.equal(ve.category, 'music');
  // another region's venue is not the coordinator's to open
  assert.equal((await page.goto(kaiku.url + '/region/venues/kajaanin-kaupunginteatteri')).status(), 404);
  await page.context().close();
});

test('a coordinator disables a user after a confirmation and re-enables them', async () => {
  const page = await openPage(browser, { lang: 'en', js: false });
  await signIn(kaiku, page, COORD, '/region', 'en');
  await page.goto(kaiku.url + '/region/users');
  await expectInert(page, 'users');
  await page.click('a[href="/region/users/jakaja-matinkyla/disable"]');
  assert.ok((await page.innerText('#disable-question')).includes('jakaja-matinkyla'));
  await page.click('#disable-keep');
  assert.equal((await kaiku.api('POST', '/api/v1/login', { username: 'jakaja-matinkyla',
    password: 'kaikukortti-demo' })).status, 200, 'keeping the user changes nothing');
  await page.click('a[href="/region/users/jakaja-matinkyla/disable"]');
  await posted(kaiku, page, '/region/users', () => page.click('#disable-confirm'));
  assert.ok((await page.innerText('#outcome')).includes(text('en', 'page.coord.disable.done', 'jakaja-matinkyla')));
  assert.equal((await kaiku.api('POST', '/api/v1/login', { username: 'jakaja-matinkyla',
    password: 'kaikukortti-demo' })).status, 401);
  await posted(kaiku, page, '/region/users', () => page.click('#enable-jakaja-matinkyla'));
  assert.equal((await kaiku.api('POST', '/api/v1/login', { username: 'jakaja-matinkyla',
    password: 'kaikukortti-demo' })).status, 200);
  // nobody disables themselves: no link for oneself
  assert.equal(await page.locator(`a[href="/region/users/${COORD}/disable"]`).count(), 0);
  await page.context().close();
});

test('hostile names are shown literally on the coordinator pages', async () => {
  // made last, so that the guide's pictures above show the demo's names
  const ok = async (path, body) => {
    const r = await kaiku.api('POST', path, body, coord);
    assert.equal(r.status, 201, `${path}: ${JSON.stringify(r.body)}`);
  };
  await ok('/api/v1/units', { id: 'espoo-hostile', region: 'espoo', name: NASTY.unit });
  await ok('/api/v1/venues', { id: 'espoo-hostile-venue', region: 'espoo', name: NASTY.venue,
    category: 'other', accessibility: `</td><b onmouseover="alert(1)">x</b>` });
  await ok('/api/v1/users', { username: NASTY.user, password: 'hostile-password-1', role: 'distributor',
    unit: 'espoo-hostile' });
  const page = await openPage(browser, { lang: 'fi' });
  await signIn(kaiku, page, COORD, '/region', 'fi');
  for (const [path, texts] of [['/region', [NASTY.unit, NASTY.venue]], ['/region/units', [NASTY.unit]],
    ['/region/venues', [NASTY.venue]], ['/region/venues/espoo-hostile-venue', [NASTY.venue]],
    ['/region/users', [NASTY.user, NASTY.unit]],
    ['/region/stock', [NASTY.unit]], ['/region/reports', [NASTY.venue]]]) {
    await page.goto(kaiku.url + path);
    for (const el of await page.locator('main th, main td').all()) await el.hover({ timeout: 500 }).catch(() => {});
    await expectInert(page, path, texts);
  }
  await page.context().close();
});
