// The handout desk (issue 14, items 4 and 7) in a real browser, as a
// distributor at Leppävaara's social services uses it: sign in, hand out a
// card from the unit's stock and read its validity to write on the paper
// card, see refusals next to their fields (identity data among them), ask
// for more cards, cancel a card after a confirmation. In fi, sv and en once
// each, by keyboard alone once, axe on every state of the page, and
// screenshots at 360 and 1280 px for the guide.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { expectAccessible, expectClean, LANGS, launch, openPage, screenshot } from './lib/browser.mjs';
import { DEMO_PASSWORD, Kaiku, writtenDate } from './lib/kaiku.mjs';
import { plural, text } from './lib/po.mjs';

const DIST = 'jakaja-leppavaara';
const HETU = '131052-308T';
// The mother tongue's name as each language lists it (typed to find it).
const ESTONIAN = { fi: 'viro', sv: 'estniska', en: 'Estonian' };
let kaiku, browser, nat;

before(async () => {
  kaiku = await new Kaiku().start();
  browser = await launch();
  nat = await kaiku.token('tuki');
});

after(async () => {
  await browser?.close();
  assert.equal(await kaiku?.stop(), 0);
});

async function signIn(page, lang) {
  await page.goto(kaiku.url + '/signin');
  await page.fill('#username', DIST);
  await page.fill('#password', DEMO_PASSWORD);
  await Promise.all([page.waitForURL(kaiku.url + '/desk'), page.press('#password', 'Enter')]);
  assert.equal(await page.getAttribute('html', 'lang'), lang);
}

// A form post and its redirect back to a page: waits for the new document
// (waiting for the URL would not, when the form is on the page it returns to).
const posted = (page, path, act) => Promise.all([page.waitForNavigation({ url: kaiku.url + path }), act()]);

const focused = (page) => page.evaluate(() => document.activeElement?.id);

// The first code of the unit's stock, as the page lists it.
async function stockCode(page) {
  const code = (await page.locator('#stock-codes li').first().textContent()).trim();
  const r = await kaiku.api('GET', '/api/v1/cards/' + code, undefined, nat);
  assert.equal(r.body.status, 'not_issued', code);
  return code;
}

// The handout form filled in with the mouse (or the keyboard: Tab from the
// code field through every field, typing, arrows and Space), then sent.
async function fillHandout(page, lang, code, { keyboard = false, renews = '' } = {}) {
  if (!keyboard) {
    await page.fill('#card', code);
    await page.fill('#birth_year', '1968');
    await page.selectOption('#mother_tongue', 'et');
    await page.check('#gender-not_told');
    await page.fill('#postal_code', '02600');
    await page.check('#life-retired');
    await page.check('#life-low_income_working');
    await page.fill('#renews', renews);
    await posted(page, '/desk', () => page.click('#handout'));
    return;
  }
  assert.equal(await focused(page), 'card', 'the code field has the focus');
  await page.keyboard.type(code);
  await page.keyboard.press('Tab');
  assert.equal(await focused(page), 'handed_out_on', 'the date comes next, today already');
  await page.keyboard.press('Tab');
  assert.equal(await focused(page), 'birth_year');
  await page.keyboard.type('1968');
  await page.keyboard.press('Tab');
  assert.equal(await focused(page), 'mother_tongue');
  await page.keyboard.type(ESTONIAN[lang], { delay: 30 }); // the list finds it as it is typed
  assert.equal(await page.inputValue('#mother_tongue'), 'et', 'typing finds the language');
  await page.keyboard.press('Tab');
  assert.equal(await focused(page), 'gender-female');
  await page.keyboard.press('ArrowRight'); // arrows move within the radios and choose
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  assert.equal(await focused(page), 'gender-not_told');
  await page.keyboard.press('Tab');
  assert.equal(await focused(page), 'postal_code');
  await page.keyboard.type('02600');
  await page.keyboard.press('Tab');
  assert.equal(await focused(page), 'life-unemployed');
  await page.keyboard.press('Tab');
  assert.equal(await focused(page), 'life-retired');
  await page.keyboard.press('Space');
  for (let i = 0; i < 12 && await focused(page) !== 'renews'; i++) await page.keyboard.press('Tab');
  assert.equal(await focused(page), 'renews', 'Tab reaches the previous card');
  await page.keyboard.press('Tab');
  assert.equal(await focused(page), 'handout', 'then the button');
  await posted(page, '/desk', () => page.keyboard.press('Enter'));
}

// Hands out a card and reads its validity; refusals in words; cancel.
async function flow(page, lang, { keyboard = false } = {}) {
  await expectAccessible(page, `desk (${lang})`);
  const code = await stockCode(page);
  // an empty form: every refusal next to its field, summarised at the top
  await posted(page, '/desk', () => page.click('#handout'));
  const summary = await page.innerText('#error-summary');
  for (const key of ['card_empty', 'birth_empty', 'lang_empty', 'gender_empty', 'postal', 'life_empty']) {
    assert.ok(summary.includes(text(lang, 'page.desk.err.' + key)), key);
  }
  assert.ok((await page.innerText('#birth_year-error')).includes(text(lang, 'page.desk.err.birth_empty')));
  await expectAccessible(page, `desk, refusals (${lang})`);
  // the summary's link leads to its field
  await page.click('#error-summary a[href="#birth_year"]');
  assert.equal(await focused(page), 'birth_year');

  // identity data: refused in words by the field, the rest kept, nothing stored
  await fillHandout(page, lang, code, { renews: HETU });
  assert.ok((await page.innerText('#renews-error')).includes(text(lang, 'page.desk.err.identity')));
  assert.equal(await page.inputValue('#birth_year'), '1968');
  assert.equal(await page.inputValue('#renews'), '');
  assert.ok(!(await page.content()).includes('131052'));
  assert.equal((await kaiku.api('GET', '/api/v1/cards/' + code, undefined, nat)).body.status, 'not_issued');
  await expectAccessible(page, `desk, identity data refused (${lang})`);

  // the handout: the validity, large, and the next empty form with the focus
  await page.goto(kaiku.url + '/desk');
  await fillHandout(page, lang, code, { keyboard });
  const card = (await kaiku.api('GET', '/api/v1/cards/' + code, undefined, nat)).body;
  assert.equal(card.status, 'valid');
  assert.equal((await page.innerText('#validity')).trim(), writtenDate(card.valid_until, lang));
  assert.ok((await page.innerText('#handed')).includes(text(lang, 'page.desk.handed', code)));
  assert.equal(await page.inputValue('#card'), '');
  assert.equal(await focused(page), 'card', 'the next card can be typed at once');
  assert.equal(await page.locator('#recent-handouts td.code', { hasText: code }).count(), 1);
  await expectAccessible(page, `desk, handed out (${lang})`);

  // cancel, after a confirmation
  await page.fill('#cancel_card', code);
  await page.fill('#reason', text(lang, 'page.desk.status.cancelled'));
  await posted(page, '/desk/cancel', () => page.click('#cancel-card'));
  assert.ok((await page.innerText('#cancel-question')).includes(code));
  assert.equal(await focused(page), 'cancel-confirm');
  await expectAccessible(page, `cancel confirmation (${lang})`);
  await posted(page, '/desk', () => page.keyboard.press('Enter'));
  assert.ok((await page.innerText('main')).includes(text(lang, 'page.desk.cancel.done', code)));
  assert.equal((await kaiku.api('GET', '/api/v1/cards/' + code, undefined, nat)).body.status, 'cancelled');
  await expectAccessible(page, `desk, cancelled (${lang})`);
}

test('the handout desk in each language: a card handed out and its validity read; refusals; cancel', async () => {
  for (const lang of LANGS) {
    const page = await openPage(browser, { lang });
    await signIn(page, lang);
    await flow(page, lang);
    // more cards, asked of the coordinator
    await page.fill('#count', '25');
    await posted(page, '/desk', () => page.click('#more'));
    assert.ok((await page.innerText('main')).includes(plural(lang, 'page.desk.more.done', 25, '25')));
    await expectAccessible(page, `desk, more cards asked (${lang})`);
    expectClean(page, lang);
    await page.context().close();
  }
});

test('the handout desk by keyboard alone, on a phone', async () => {
  const page = await openPage(browser, { lang: 'fi', width: 360, height: 800 });
  await signIn(page, 'fi');
  await flow(page, 'fi', { keyboard: true });
  expectClean(page, 'keyboard');
  await page.context().close();
});

test('screenshots of the handout desk for the guide at 360 and 1280 px', async () => {
  for (const [width, height] of [[360, 900], [1280, 900]]) {
    const page = await openPage(browser, { lang: 'fi', width, height });
    await signIn(page, 'fi');
    await screenshot(page, `jako-lomake-${width}`);
    const code = await stockCode(page);
    await page.fill('#card', code);
    await page.fill('#birth_year', '2015');
    await page.fill('#postal_code', '026');
    await posted(page, '/desk', () => page.click('#handout'));
    await screenshot(page, `jako-virheet-${width}`, { top: true });
    await fillHandout(page, 'fi', code);
    await screenshot(page, `jako-annettu-${width}`, { top: true });
    await page.locator('#stock').scrollIntoViewIfNeeded();
    await page.evaluate(() => document.querySelector('#stock').scrollIntoView());
    await screenshot(page, `jako-varasto-${width}`);
    expectClean(page, `screenshots ${width}`);
    await page.context().close();
  }
  // For the Swedish and English guides: the form at 1280 px, a card handed
  // out on a phone.
  for (const lang of ['sv', 'en']) {
    const page = await openPage(browser, { lang, width: 1280, height: 900 });
    await signIn(page, lang);
    await screenshot(page, `desk-${lang}-1280`);
    await page.setViewportSize({ width: 360, height: 900 });
    await fillHandout(page, lang, await stockCode(page));
    assert.equal(await page.locator('#handed').count(), 1);
    await screenshot(page, `desk-handed-${lang}-360`, { top: true });
    expectClean(page, `screenshots ${lang}`);
    await page.context().close();
  }
});
