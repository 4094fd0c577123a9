// The box office (issue 14, items 3 and 7) in a real browser, as venue staff
// at Teatteri Hilla use it: sign in, type a card code and Enter (as a
// barcode scanner does), Enter again to record with the defaults, see the
// refusal of a second adult ticket (R24), undo the use (R25). In fi, sv and
// en once each, by keyboard alone once, axe on every state of the page, and
// screenshots at 360 and 1280 px for the guide.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { expectAccessible, expectClean, LANGS, launch, openPage, screenshot } from './lib/browser.mjs';
import { DEMO_PASSWORD, helsinkiDate, Kaiku, makeCards, writtenDate } from './lib/kaiku.mjs';
import { text } from './lib/po.mjs';

const STAFF = 'kassa-hilla';
const EVENT = 'Selaintestin näytös';
let kaiku, browser, cards, event;

before(async () => {
  kaiku = await new Kaiku().start();
  browser = await launch();
  cards = {};
  for (const lang of [...LANGS, 'kb', 'nojs']) cards[lang] = await makeCards(kaiku, 'WEBB' + lang.toUpperCase());
  // Tonight's event at the venue, without restrictions (R17) and with room.
  const nat = await kaiku.token('tuki');
  const r = await kaiku.api('POST', '/api/v1/events', {
    venue: 'teatteri-hilla', name: EVENT, kind: 'performance', starts_at: `${helsinkiDate(0)}T23:59`,
    capacity: 300,
  }, nat);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  event = r.body;
});

after(async () => {
  await browser?.close();
  assert.equal(await kaiku?.stop(), 0);
});

// Signs in on the sign-in page by keyboard and lands on the box office.
async function signIn(page, lang, { axe = true } = {}) {
  await page.goto(kaiku.url + '/signin');
  assert.equal(await page.getAttribute('html', 'lang'), lang);
  if (axe) await expectAccessible(page, `/signin (${lang})`);
  await page.fill('#username', STAFF);
  await page.fill('#password', DEMO_PASSWORD);
  await Promise.all([page.waitForURL(kaiku.url + '/box-office'), page.press('#password', 'Enter')]);
  assert.equal(await page.getAttribute('html', 'lang'), lang);
}

// Does action, which posts a form, and waits for the new <main>: the script
// swaps it in place, or without script the page loads again.
async function submitted(page, action) {
  await page.evaluate(() => { document.querySelector('main').dataset.stale = '1'; });
  await action();
  await page.waitForSelector('main:not([data-stale])');
}

// Picks tonight's test event.
async function chooseEvent(page) {
  await page.selectOption('#event', String(event.id));
  await submitted(page, () => page.click('#event-choose'));
  assert.equal(await page.inputValue('#event'), String(event.id));
}

// The whole flow for one card: code + Enter, Enter; the same again is
// refused; undo. Returns after the undo.
async function flow(page, lang, code, { keyboard = false, axe = true } = {}) {
  const L = LANGS.includes(lang) ? lang : 'fi';
  const until = writtenDate(cards[lang].api.valid.valid_until, L);
  // The code field has the focus: type (as a scanner does) and Enter.
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'card', 'the code field is focused');
  await page.keyboard.type(code);
  await page.keyboard.press('Enter');
  await page.waitForSelector('#card-status[data-status="valid"]');
  assert.ok((await page.innerText('#card-status')).includes(text(L, 'page.boxoffice.status.valid', code, until)));
  // R33: nothing about the holder.
  assert.ok(!(await page.innerText('main')).includes('1970'));
  if (axe) await expectAccessible(page, `box office, card valid (${L})`);
  // Enter records with the defaults: one adult, box office.
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'record', 'Record has the focus');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#outcome .notice-ok');
  assert.match(await page.innerText('#outcome'), new RegExp(code));
  const row = page.locator('#today-uses tbody tr', { hasText: code });
  assert.equal(await row.count(), 1, 'today\'s uses list the use');
  if (axe) await expectAccessible(page, `box office, recorded (${L})`);
  // A second adult ticket for the same card and event: R24's refusal.
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'card');
  await page.keyboard.type(code);
  await page.keyboard.press('Enter');
  await page.waitForSelector('#card-status[data-status="valid"]');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#outcome .notice-error');
  const refusal = await page.innerText('#outcome');
  assert.ok(refusal.includes(text(L, 'page.boxoffice.refused', code)), refusal);
  assert.ok(refusal.includes(text(L, 'error.duplicate_adult_ticket')), refusal);
  if (axe) await expectAccessible(page, `box office, refused (${L})`);
  // Undo (R25), with a confirmation.
  const undo = row.locator('a[href^="/box-office/undo/"]');
  if (keyboard) {
    for (let i = 0; i < 80; i++) {
      await page.keyboard.press('Tab');
      if (await undo.evaluate((a) => a === document.activeElement)) break;
    }
    assert.ok(await undo.evaluate((a) => a === document.activeElement), 'Tab reaches Undo');
    await Promise.all([page.waitForURL(/\/box-office\/undo\/\d+$/), page.keyboard.press('Enter')]);
  } else {
    await Promise.all([page.waitForURL(/\/box-office\/undo\/\d+$/), undo.click()]);
  }
  assert.match(await page.innerText('#undo-question'), new RegExp(code));
  if (axe) await expectAccessible(page, `undo confirmation (${L})`);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'undo-confirm');
  await Promise.all([page.waitForURL(kaiku.url + '/box-office'), page.keyboard.press('Enter')]);
  await page.waitForSelector('#outcome .notice-ok');
  assert.ok((await page.innerText('#outcome')).includes(text(L, 'page.boxoffice.undo.done')));
  assert.match(await row.getAttribute('class'), /undone/);
  // The use no longer counts: the card gets its adult ticket again.
  const uses = await kaiku.api('GET', `/api/v1/uses?event=${event.id}`, undefined, await kaiku.token('tuki'));
  const mine = uses.body.uses.filter((u) => u.card === code);
  assert.equal(mine.length, 1, 'the recorded use, and nothing from the refusal');
  assert.ok(mine.every((u) => u.undone_at), 'the use is undone');
}

test('the box office in each language: code, Enter, Enter; a second adult ticket refused; undo', async () => {
  for (const lang of LANGS) {
    const page = await openPage(browser, { lang });
    await signIn(page, lang);
    await expectAccessible(page, `box office (${lang})`);
    // The signed-in pages around it: the start page and the password form.
    for (const path of ['/start', '/password']) {
      const res = await page.goto(kaiku.url + path);
      assert.equal(res.status(), 200, path);
      assert.equal(await page.getAttribute('html', 'lang'), lang);
      await expectAccessible(page, `${path} (${lang})`);
    }
    await page.goto(kaiku.url + '/box-office');
    await page.waitForSelector('#card');
    await page.focus('#card');
    await chooseEvent(page);
    await flow(page, lang, cards[lang].codes.valid);
    expectClean(page, lang);
    await page.context().close();
  }
});

test('the box office works with JavaScript off: code, Enter, Enter by page loads alone', async () => {
  const page = await openPage(browser, { lang: 'fi', js: false });
  // (axe needs the page's timers, which are off here; it ran on these states above)
  await signIn(page, 'fi', { axe: false });
  assert.equal(await page.evaluate(() => document.querySelectorAll('.stepper').length), 0,
    'no script ran (its − and + buttons are missing)');
  await chooseEvent(page);
  await flow(page, 'nojs', cards.nojs.codes.valid, { axe: false });
  expectClean(page, 'no script');
  await page.context().close();
});

test('the box office by keyboard alone, with a status in words for each kind of card', async () => {
  const page = await openPage(browser, { lang: 'fi' });
  await signIn(page, 'fi');
  // Choose the event by keyboard: Tab to the list, pick, Enter.
  for (let i = 0; i < 40 && await page.evaluate(() => document.activeElement?.id) !== 'event'; i++) {
    await page.keyboard.press('Shift+Tab');
  }
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'event', 'Tab reaches the event list');
  for (let i = 0; i < 60 && await page.inputValue('#event') !== String(event.id); i++) {
    await page.keyboard.press(i < 30 ? 'ArrowDown' : 'ArrowUp');
  }
  assert.equal(await page.inputValue('#event'), String(event.id), 'arrow keys reach the event');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'event-choose');
  await submitted(page, () => page.keyboard.press('Enter'));
  assert.equal(await page.inputValue('#event'), String(event.id));
  await flow(page, 'kb', cards.kb.codes.valid, { keyboard: true });
  // The other statuses, in words (R33: status and validity only).
  const statuses = [[cards.kb.codes.expired, 'expired'], [cards.kb.codes.cancelled, 'cancelled'],
    [cards.kb.codes.notIssued, 'not_issued'], ['WEBBNOSUCH', 'unknown']];
  for (const [code, status] of statuses) {
    await page.fill('#card', code);
    await page.press('#card', 'Enter');
    await page.waitForSelector(`#card-status[data-status="${status}"]`);
    await expectAccessible(page, `card ${status}`);
  }
  expectClean(page, 'keyboard');
  await page.context().close();
});

test('screenshots of the box office for the guide at 360 and 1280 px', async () => {
  let n = 0;
  for (const [width, height] of [[360, 900], [1280, 900]]) {
    const page = await openPage(browser, { lang: 'fi', width, height });
    await signIn(page, 'fi');
    await chooseEvent(page);
    await screenshot(page, `lippukassa-${width}`);
    // a card of its own for each width
    const c = await makeCards(kaiku, 'WEBS' + n++);
    cards['shot' + width] = c;
    await page.focus('#card');
    await page.keyboard.type(c.codes.valid);
    await page.keyboard.press('Enter');
    await page.waitForSelector('#card-status[data-status="valid"]');
    await screenshot(page, `lippukassa-voimassa-${width}`, width < 600 ? { at: 'label[for=card]' } : { top: true });
    await page.keyboard.press('Enter');
    await page.waitForSelector('#outcome .notice-ok');
    await screenshot(page, `lippukassa-kirjattu-${width}`, { top: true });
    await page.keyboard.type(c.codes.valid);
    await page.keyboard.press('Enter');
    await page.waitForSelector('#card-status[data-status="valid"]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#outcome .notice-error');
    await screenshot(page, `lippukassa-hylatty-${width}`, { top: true });
    expectClean(page, `screenshots ${width}`);
    await page.context().close();
  }
  // For the Swedish and English guides: a valid card, ready to record.
  for (const lang of ['sv', 'en']) {
    const page = await openPage(browser, { lang, width: 1280, height: 900 });
    await signIn(page, lang);
    await chooseEvent(page);
    const c = await makeCards(kaiku, 'WEBS' + n++);
    await page.focus('#card');
    await page.keyboard.type(c.codes.valid);
    await page.keyboard.press('Enter');
    await page.waitForSelector('#card-status[data-status="valid"]');
    await screenshot(page, `boxoffice-${lang}-1280`, { top: true });
    expectClean(page, `screenshot ${lang}`);
    await page.context().close();
  }
});
