// The venue's own pages (issue 17, items 1 and 5) in a real browser, as the
// staff of Leppävaara's swimming hall use them: the start page, the events
// with R15's lowest cap beside the cap field (recomputed by the button
// without JavaScript, and live with the script), a cap too low refused in
// words, a daily event added, a use recorded on it and undone (R25), an API
// key shown once and revoked, the usage report (R28) on screen and as CSV.
// axe on every page type in fi, sv and en; hostile text inert; screenshots
// for the guide.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { expectAccessible, expectClean, LANGS, launch, openPage, screenshot } from './lib/browser.mjs';
import { DEMO_PASSWORD, helsinkiDate, Kaiku, makeCards } from './lib/kaiku.mjs';
import { plural, text } from './lib/po.mjs';

const STAFF = 'kassa-leppavaaran-uimahalli';
const VENUE = 'leppavaaran-uimahalli';
const HOSTILE = 'Uinti <script>alert(1)</script> "><img src=x onerror=alert(2)> javascript:alert(3)';
let kaiku, browser, staff, cards, seriesId;

before(async () => {
  kaiku = await new Kaiku().start();
  browser = await launch();
  staff = await kaiku.token(STAFF);
  cards = (await makeCards(kaiku, 'VEN')).codes;
});

after(async () => {
  await browser?.close();
  assert.equal(await kaiku?.stop(), 0);
});

async function signIn(page, lang) {
  await page.goto(kaiku.url + '/signin');
  await page.fill('#username', STAFF);
  await page.fill('#password', DEMO_PASSWORD);
  await Promise.all([page.waitForURL(kaiku.url + '/box-office'), page.press('#password', 'Enter')]);
  assert.equal(await page.getAttribute('html', 'lang'), lang);
}

const posted = (page, act) => Promise.all([page.waitForNavigation(), act()]);
const fill = (t, n) => t.replace('{1}', n);

async function addEvent(body) {
  const r = await kaiku.api('POST', '/api/v1/events', {
    venue: VENUE, kind: 'daily', starts_at: helsinkiDate(3) + 'T10:00:00+02:00', capacity: 200, ...body,
  }, staff);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id;
}

test('a swimming hall creates a month of days in one form and records a use on one (fi, no JavaScript)', async () => {
  const page = await openPage(browser, { lang: 'fi', js: false });
  await signIn(page, 'fi');
  await page.goto(kaiku.url + '/venue/series');
  await posted(page, () => page.click('#new-series'));
  await page.fill('#name', 'Aamu-uinti');
  await page.fill('#first_day', helsinkiDate(1));
  await page.fill('#last_day', helsinkiDate(30));
  await page.uncheck('#weekday-sun'); // closed on Sundays
  await page.fill('#time', '06:30');
  await page.fill('#capacity', '400');
  await page.fill('#cap', '10');
  await posted(page, () => page.click('#series-create'));
  // R15's daily line: min(⌈5 % of 400⌉, 20) = 20
  assert.equal(await page.textContent('#cap-error'), fill(text('fi', 'page.venue.err.cap_low'), '20'));
  assert.equal(await page.isChecked('#weekday-sun'), false, 'the weekdays are kept');
  await page.fill('#cap', '20');
  await page.fill('#exceptions', helsinkiDate(2));
  await screenshot(page, 'venue-series-new', { fullPage: true });
  await posted(page, () => page.click('#series-create'));
  assert.match(page.url(), /\/venue\/series\/\d+$/);
  seriesId = Number(page.url().split('/').pop());
  const days = await page.locator('#series-days tbody tr').count();
  // 30 days less the Sundays among them and the one exception (not a Sunday when it was one)
  let want = 0;
  for (let i = 1; i <= 30; i++) {
    const d = new Date(helsinkiDate(i) + 'T12:00:00Z');
    if (d.getUTCDay() !== 0 && i !== 2) want++;
  }
  assert.equal(days, want);
  assert.equal(await page.locator('.notice-heading').first().textContent(),
    plural('fi', 'page.venue.series.created', want, String(want)));
  await screenshot(page, 'venue-series');
  // the box office sells the first day
  const first = await page.locator('#series-days tbody tr a').first().getAttribute('href');
  const eventId = first.split('/').pop();
  await page.goto(kaiku.url + '/box-office');
  await page.selectOption('#event', eventId);
  await posted(page, () => page.click('#event-choose'));
  await page.fill('#card', cards.valid);
  await posted(page, () => page.press('#card', 'Enter'));
  await posted(page, () => page.click('#record'));
  assert.equal(await page.locator('#outcome .notice-ok').count(), 1);
  const ev = await kaiku.api('GET', '/api/v1/events/' + eventId, undefined, staff);
  assert.equal(ev.body.used, 1);
  assert.equal(ev.body.kind, 'daily');
  assert.equal(ev.body.cap, 20);
  expectClean(page, 'series');
  await page.context().close();
});

test('every venue page type is accessible in fi, sv and en', async () => {
  const event = await addEvent({ name: 'Aamu-uinti', cap: 10, booking_opens_days: 7 });
  const use = await kaiku.api('POST', '/api/v1/uses', { card: cards.valid, event, adult: 1, child: 0, companion: 0 }, staff);
  assert.equal(use.status, 201, JSON.stringify(use.body));
  const key = await kaiku.api('POST', `/api/v1/venues/${VENUE}/api-keys`, { label: 'Lippujärjestelmä' }, staff);
  assert.equal(key.status, 201);
  for (const lang of LANGS) {
    const page = await openPage(browser, { lang });
    await signIn(page, lang);
    const pages = ['/venue', '/venue/events', '/venue/events/new', `/venue/events/${event}`,
      '/venue/report', '/venue/keys', '/venue/details', '/venue/series', '/venue/series/new',
      `/venue/series/${seriesId}`, `/venue/series/${seriesId}/close`, `/venue/uses/${use.body.id}/undo`, `/venue/keys/${key.body.id}/revoke`];
    for (const path of pages) {
      const res = await page.goto(kaiku.url + path);
      assert.equal(res.status(), 200, path);
      assert.equal(await page.getAttribute('html', 'lang'), lang);
      await expectAccessible(page, `${path} in ${lang}`);
    }
    // the box office links the venue's pages
    await page.goto(kaiku.url + '/box-office');
    assert.equal(await page.locator('nav.venue-nav a[href="/venue/events"]').textContent(),
      text(lang, 'page.venue.nav.events'));
    expectClean(page, lang);
    await page.context().close();
  }
});

test('a swimming hall adds a daily event with its cap, records a use and undoes it (fi, no JavaScript)', async () => {
  const page = await openPage(browser, { lang: 'fi', js: false });
  await signIn(page, 'fi');
  await page.goto(kaiku.url + '/venue');
  await screenshot(page, 'venue-start');
  await posted(page, () => page.click('nav.venue-nav a[href="/venue/events"]'));
  await screenshot(page, 'venue-events');
  await posted(page, () => page.click('#new-event'));
  await page.fill('#name', 'Iltauinti');
  await page.selectOption('#kind', 'daily');
  await page.fill('#date', helsinkiDate(1));
  await page.fill('#time', '17:00');
  await page.fill('#capacity', '1000');
  // R15: daily → min(⌈5 % of 1000⌉, 20) = 20, worked out by the button
  await posted(page, () => page.click('#recompute'));
  assert.equal(await page.textContent('#cap-minimum'), fill(text('fi', 'page.venue.event.minimum'), '20'));
  await page.fill('#cap', '5');
  await posted(page, () => page.click('#save'));
  assert.equal(await page.textContent('#cap-error'), fill(text('fi', 'page.venue.err.cap_low'), '20'));
  assert.equal(await page.locator('#error-summary a[href="#cap"]').count(), 1);
  await screenshot(page, 'venue-event-refused', { fullPage: true });
  await page.fill('#cap', '20');
  await page.fill('#collection_opens_minutes', '30');
  await posted(page, () => page.click('#save'));
  assert.match(page.url(), /\/venue\/events\/\d+$/);
  const id = Number(page.url().split('/').pop());
  assert.equal((await page.locator('.notice-heading').first().textContent()), text('fi', 'page.venue.event.created'));
  const ev = await kaiku.api('GET', `/api/v1/events?venue=${VENUE}`, undefined, staff);
  const saved = ev.body.events.find((e) => e.id === id);
  assert.equal(saved.cap, 20);
  assert.equal(saved.kind, 'daily');
  assert.equal(saved.collection_opens_minutes, 30);

  // a use of the day, then its undo from the event's page
  const use = await kaiku.api('POST', '/api/v1/uses', { card: cards.valid, event: id, adult: 1, child: 0, companion: 0, channel: 'phone' }, staff);
  assert.equal(use.status, 201, JSON.stringify(use.body));
  await page.reload();
  assert.equal(await page.locator(`#use-${use.body.id}`).count(), 1);
  await screenshot(page, 'venue-event-uses', { at: '#uses-heading' });
  // a cap below the tickets used is refused in words: capacity 5 (R15's minimum 0)
  await page.fill('#capacity', '5');
  await page.fill('#cap', '0');
  await posted(page, () => page.click('#save'));
  assert.equal(await page.textContent('#cap-error'), plural('fi', 'page.venue.err.cap_used', 1, '1'));
  await page.goto(kaiku.url + `/venue/events/${id}`);
  await posted(page, () => page.click(`#use-${use.body.id} a`));
  await screenshot(page, 'venue-undo');
  await posted(page, () => page.click('#undo-confirm'));
  assert.equal(page.url(), kaiku.url + `/venue/events/${id}`);
  assert.equal(await page.locator(`#use-${use.body.id}.undone`).count(), 1);
  const after = await kaiku.api('GET', `/api/v1/events?venue=${VENUE}`, undefined, staff);
  assert.equal(after.body.events.find((e) => e.id === id).used, 0);
  expectClean(page, 'event flow');
  await page.context().close();
});

test('with the script the lowest cap follows the fields as they change (sv)', async () => {
  const page = await openPage(browser, { lang: 'sv' });
  await signIn(page, 'sv');
  await page.goto(kaiku.url + '/venue/events/new');
  await page.fill('#capacity', '1000');
  const want = (n) => fill(text('sv', 'page.venue.event.minimum'), n);
  await page.waitForFunction((t) => document.getElementById('cap-minimum').textContent === t, want('50'));
  await page.selectOption('#kind', 'course');
  await page.waitForFunction((t) => document.getElementById('cap-minimum').textContent === t, want('2'));
  await page.selectOption('#kind', 'daily');
  await page.waitForFunction((t) => document.getElementById('cap-minimum').textContent === t, want('20'));
  // refused: the form again with the error next to the field and summarised
  await page.fill('#name', 'Simskola');
  await page.fill('#date', helsinkiDate(2));
  await page.fill('#cap', '3');
  await posted(page, () => page.click('#save'));
  assert.equal(await page.textContent('#cap-error'), fill(text('sv', 'page.venue.err.cap_low'), '20'));
  assert.equal(await page.inputValue('#name'), 'Simskola', 'the values are kept');
  await expectAccessible(page, 'the event form with its error');
  expectClean(page, 'live minimum');
  await page.context().close();
});

test('screenshots of the events and of a cap refused for the Swedish and English guides', async () => {
  for (const lang of ['sv', 'en']) {
    const page = await openPage(browser, { lang });
    await signIn(page, lang);
    await page.goto(kaiku.url + '/venue/events');
    await screenshot(page, `venue-events-${lang}`);
    await posted(page, () => page.click('#new-event'));
    await page.fill('#name', lang === 'sv' ? 'Kvällssim' : 'Evening swim');
    await page.selectOption('#kind', 'daily');
    await page.fill('#date', helsinkiDate(1));
    await page.fill('#time', '17:00');
    await page.fill('#capacity', '1000');
    await page.fill('#cap', '5');
    await posted(page, () => page.click('#save'));
    assert.equal(await page.textContent('#cap-error'), fill(text(lang, 'page.venue.err.cap_low'), '20'));
    await screenshot(page, `venue-event-refused-${lang}`, { fullPage: true });
    expectClean(page, `screenshots ${lang}`);
    await page.context().close();
  }
});

test('an API key is shown once and revoked after a confirmation (en)', async () => {
  const page = await openPage(browser, { lang: 'en' });
  await signIn(page, 'en');
  await page.goto(kaiku.url + '/venue/keys');
  await page.fill('#label', 'Ticket shop');
  await posted(page, () => page.click('#key-create'));
  const secret = (await page.textContent('#key-secret')).trim();
  assert.equal(secret.length, 43);
  await expectAccessible(page, 'the key shown once');
  await screenshot(page, 'venue-key-made');
  // the key acts as the venue's staff
  const r = await kaiku.api('GET', '/api/v1/cards/' + cards.valid, undefined, secret);
  assert.equal(r.status, 200);
  await page.reload();
  assert.equal(await page.locator('#key-secret').count(), 0, 'shown only once');
  const row = page.locator('#keys tr', { hasText: 'Ticket shop' });
  await posted(page, () => row.locator('a').click());
  await posted(page, () => page.click('#revoke-confirm'));
  assert.equal(await page.locator('#keys tr', { hasText: 'Ticket shop' }).count(), 0);
  const gone = await kaiku.api('GET', '/api/v1/cards/' + cards.valid, undefined, secret);
  assert.equal(gone.status, 401);
  expectClean(page, 'keys');
  await page.context().close();
});

test('the venue keeps its accessibility in fi, sv and en and its free cloakroom (R20)', async () => {
  const page = await openPage(browser, { lang: 'fi' });
  await signIn(page, 'fi');
  await page.goto(kaiku.url + '/venue/details');
  await page.fill('#accessibility', 'Allasnosturi ja esteetön pukuhuone.');
  await page.fill('#accessibility_sv', 'Bassänglyft och tillgängligt omklädningsrum.');
  await page.fill('#accessibility_en', '');
  await page.check('#free_cloakroom');
  await posted(page, () => page.click('#details-save'));
  assert.equal(await page.locator('.notice-heading').first().textContent(), text('fi', 'page.venue.details.saved'));
  await screenshot(page, 'venue-details');
  const r = await kaiku.api('GET', '/api/v1/venues?region=espoo');
  const v = r.body.venues.find((x) => x.id === VENUE);
  assert.equal(v.accessibility_sv, 'Bassänglyft och tillgängligt omklädningsrum.');
  assert.equal(v.free_cloakroom, true);
  // the public offer shows the page's language, Finnish where one is missing
  const sv = await openPage(browser, { lang: 'sv' });
  await sv.goto(kaiku.url + '/lang/sv?next=/offer/espoo');
  assert.ok((await sv.content()).includes('Bassänglyft och tillgängligt omklädningsrum.'));
  await sv.goto(kaiku.url + '/lang/en?next=/offer/espoo');
  assert.ok((await sv.content()).includes('Allasnosturi ja esteetön pukuhuone.'));
  expectClean(page, 'details');
  await page.context().close();
  await sv.context().close();
});

test('the usage report on screen and as CSV (fi); hostile text inert', async () => {
  const event = await addEvent({ name: HOSTILE });
  const use = await kaiku.api('POST', '/api/v1/uses', { card: cards.valid, event, adult: 1, child: 2, companion: 0 }, staff);
  assert.equal(use.status, 201, JSON.stringify(use.body));
  const page = await openPage(browser, { lang: 'fi' });
  await signIn(page, 'fi');
  const day = helsinkiDate(3);
  await page.goto(kaiku.url + '/venue/report');
  await page.fill('#from', day);
  await page.fill('#to', day);
  await posted(page, () => page.click('#report-show'));
  const row = page.locator('#report tbody tr', { hasText: 'onerror=alert(2)' });
  assert.equal(await row.locator('td').nth(2).textContent(), '2');
  assert.equal(await page.textContent('#report tfoot th'), text('fi', 'report.heading.total'));
  await screenshot(page, 'venue-report');
  const csv = await page.request.get(await page.getAttribute('#download-csv', 'href').then((h) => kaiku.url + h));
  assert.equal(csv.status(), 200);
  assert.match(csv.headers()['content-type'], /^text\/csv/);
  assert.match(await csv.text(), new RegExp(`^${cards.valid},1,2,`, 'm'));
  const xlsx = await page.request.get(await page.getAttribute('#download-xlsx', 'href').then((h) => kaiku.url + h));
  assert.equal(xlsx.status(), 200);
  assert.equal((await xlsx.body()).subarray(0, 2).toString(), 'PK');
  // the hostile name, on every page that shows it
  for (const path of ['/venue/events', `/venue/events/${event}`, '/venue/report?from=' + day + '&to=' + day]) {
    await page.goto(kaiku.url + path);
    assert.equal(await page.locator('img[src=x], script:not([src])').count(), 0, path);
    assert.ok((await page.content()).includes('&lt;script&gt;alert(1)&lt;/script&gt;'), path);
  }
  assert.deepEqual(page.dialogs, []);
  expectClean(page, 'report');
  await page.context().close();
});
