// Imports from paper and Excel (issue 17 items 4 and 5) in a real browser:
// a coordinator uploads a handout sheet with one bad row, sees the row and
// the reason in plain words (nothing recorded), fixes the sheet and imports
// it again; the same sheet once more records nothing twice. A venue's staff
// upload a usage sheet in R28's layout as XLSX. In fi, sv and en, axe on
// every state, once with JavaScript off, and screenshots for the guide.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { expectAccessible as checkAccessible, expectClean, LANGS, launch, openPage, ROOT, screenshot } from './lib/browser.mjs';
import { DEMO_PASSWORD, helsinkiDate, Kaiku } from './lib/kaiku.mjs';
import { plural, text } from './lib/po.mjs';

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

async function signIn(page, user) {
  await page.goto(kaiku.url + '/signin');
  await page.fill('#username', user);
  await page.fill('#password', DEMO_PASSWORD);
  await Promise.all([page.waitForNavigation(), page.press('#password', 'Enter')]);
}

// The import form sent with a file; the answer page is loaded when it returns.
async function upload(page, name, mimeType, buffer) {
  await page.setInputFiles('#file', { name, mimeType, buffer });
  await Promise.all([page.waitForNavigation(), page.click('#import-submit')]);
}

// A handout sheet as Finnish Excel saves it: ';', a BOM, the headings of the
// handout form in lang; the second card's holder born in `year`.
function handoutSheet(lang, codes, year) {
  const head = ['page.desk.card', 'page.desk.date', 'page.desk.birth', 'report.heading.mother_tongue',
    'page.desk.gender', 'page.desk.postal', 'report.heading.life_situation'].map((k) => text(lang, k));
  const day = helsinkiDate(-3);
  const rows = [
    [codes[0], day, '1970', 'fi', text(lang, 'page.desk.gender.female'), '02600', text(lang, 'page.desk.life.retired')],
    [codes[1], day, String(year), 'sv', 'male', '02600', 'student, unemployed'],
    [codes[2], day, '1985', 'other', 'not_told', '02600', 'debt'],
  ];
  return Buffer.from('\uFEFF' + [head, ...rows].map((r) => r.join(';')).join('\r\n') + '\r\n', 'utf8');
}

// axe runs on the page's timers, so not with JavaScript off: that run checks
// the flow alone (the same pages were checked with it on).
const handoutRuns = [...LANGS.map((lang, i) => ({ lang, i, js: true })), { lang: 'fi', i: 3, js: false }];
for (const { lang, i, js } of handoutRuns) {
  const expectAccessible = js ? checkAccessible : async () => {};
  test(`a coordinator imports a handout sheet, one bad row then fixed (${lang}${js ? '' : ', no JavaScript'})`, async () => {
    const codes = [1, 2, 3].map((n) => `IMP${i}${n}`);
    const r = await kaiku.api('POST', '/api/v1/stock', { unit: 'espoo-leppavaara', kind: 'personal', codes }, nat);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const page = await openPage(browser, { lang, js });
    await signIn(page, 'koord-espoo');
    // reached from the coordinator's start page by its navigation
    assert.equal(new URL(page.url()).pathname, '/region');
    await Promise.all([page.waitForNavigation(), page.click('#net-nav a[href="/import/handouts"]')]);
    assert.equal(await page.getAttribute('html', 'lang'), lang);
    assert.equal((await page.textContent('h1')).trim(), text(lang, 'page.import.handouts.title'));
    await expectAccessible(page, `handout import page (${lang})`);
    if (lang === 'fi' && js) await screenshot(page, 'import-handouts-form');

    // Row 3 (the second card) is too young (R11): nothing is recorded.
    const young = new Date().getFullYear() - 10;
    await page.selectOption('#unit', 'espoo-leppavaara');
    await upload(page, 'jaot.csv', 'text/csv', handoutSheet(lang, codes, young));
    const problems = page.locator('#import-problems li');
    assert.equal(await problems.count(), 1);
    const want = text(lang, 'import.problem.row_column', 3, text(lang, 'page.desk.birth'), text(lang, 'error.too_young'));
    assert.equal((await problems.first().textContent()).trim(), want);
    assert.equal((await page.locator('#error-summary h2').textContent()).trim(), text(lang, 'page.import.refused', 1));
    assert.equal((await page.textContent('#file-error')).trim(), text(lang, 'page.import.refused.field'));
    assert.equal(await page.inputValue('#unit'), 'espoo-leppavaara', 'the unit stays chosen');
    await expectAccessible(page, `handout import refused (${lang})`);
    if (js) await screenshot(page, lang === 'fi' ? 'import-handouts-refused' : `import-refused-${lang}`);
    for (const code of codes) {
      const c = await kaiku.api('GET', '/api/v1/cards/' + code, undefined, nat);
      assert.equal(c.body.status, 'not_issued', `${code}: all or nothing`);
    }

    // Fixed and sent again: all three recorded, the page says so.
    await upload(page, 'jaot.csv', 'text/csv', handoutSheet(lang, codes, 1990));
    assert.equal(new URL(page.url()).pathname, '/import/handouts', 'post, redirect, get');
    assert.equal((await page.locator('.notice-ok .notice-heading').textContent()).trim(), text(lang, 'page.import.recorded'));
    assert.match(await page.textContent('main'), new RegExp(plural(lang, 'page.import.recorded.text', 3, '3', '0').replace(/[.()]/g, '\\$&')));
    await expectAccessible(page, `handout import recorded (${lang})`);
    for (const code of codes) {
      const c = await kaiku.api('GET', '/api/v1/cards/' + code, undefined, nat);
      assert.equal(c.body.status, 'valid', code);
    }

    // The same sheet once more: nothing recorded twice.
    await page.selectOption('#unit', 'espoo-leppavaara');
    await upload(page, 'jaot.csv', 'text/csv', handoutSheet(lang, codes, 1990));
    assert.match(await page.textContent('main'), new RegExp(plural(lang, 'page.import.recorded.text', 0, '0', '3').replace(/[.()]/g, '\\$&')));
    expectClean(page, `handout import (${lang})`);
    await page.context().close();
  });
}

for (const lang of LANGS) {
  test(`a venue uploads its usage sheet as XLSX (${lang})`, async () => {
    const page = await openPage(browser, { lang });
    await signIn(page, 'kassa-hilla');
    // reached from the box office, the venue's start page, by its navigation
    assert.equal(new URL(page.url()).pathname, '/box-office');
    await Promise.all([page.waitForNavigation(), page.click('nav.venue-nav a[href="/import/uses"]')]);
    assert.equal((await page.textContent('h1')).trim(), text(lang, 'page.import.uses.title'));
    assert.equal(await page.locator('#venue').count(), 0, 'a venue imports for itself');
    const cols = (await page.locator('#import-columns li').allTextContents()).map((s) => s.trim());
    assert.deepEqual(cols, ['card', 'adult', 'child', 'event', 'date'].map((k) => text(lang, 'report.heading.' + k)));
    await checkAccessible(page, `usage import page (${lang})`);
    // The operating model's own example (R28), which the demo holds already:
    // both rows are read and refused for R24.
    await upload(page, 'kaynnit.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      readFileSync(join(ROOT, 'docs', 'imports', 'uses-sample.xlsx')));
    const problems = (await page.locator('#import-problems li').allTextContents()).map((s) => s.trim());
    assert.deepEqual(problems, [2, 3].map((row) => text(lang, 'import.problem.row_column', row,
      'Lippu aikuiselle', text(lang, 'error.duplicate_adult_ticket'))));
    await checkAccessible(page, `usage import refused (${lang})`);
    if (lang === 'en') await screenshot(page, 'import-uses-refused');
    // Hostile text from a file is shown as text: no element, no dialog.
    const hostile = '<img src=x onerror=alert(1)>';
    await upload(page, 'x.csv', 'text/csv', Buffer.from(`${hostile},card\r\n1,2\r\n`, 'utf8'));
    const first = (await page.locator('#import-problems li').first().textContent()).trim();
    assert.equal(first, text(lang, 'import.problem.row_column', 1, hostile, text(lang, 'import.column_unknown')));
    assert.equal(await page.locator('main img').count(), 0, 'hostile text inert');
    expectClean(page, `usage import (${lang})`);
    await page.context().close();
  });
}

// Every role that may import finds its import pages from its start page,
// marked as the current page there; those that may not see no link.
test('each role reaches the import pages it may use by clicking from its start page', async () => {
  const roles = [
    { user: 'jakaja-tapiola', start: '/desk', links: ['#desk-links a[href="/import/handouts"]'], none: '/import/uses' },
    { user: 'kassa-hilla', start: '/box-office', links: ['nav.venue-nav a[href="/import/uses"]'], none: '/import/handouts' },
    { user: 'koord-espoo', start: '/region', links: ['#net-nav a[href="/import/handouts"]', '#net-nav a[href="/import/uses"]'] },
    { user: 'tuki', start: '/national', links: ['#net-nav a[href="/import/handouts"]', '#net-nav a[href="/import/uses"]'] },
  ];
  for (const { user, start, links, none } of roles) {
    for (const link of links) {
      const page = await openPage(browser, { lang: 'en' });
      await signIn(page, user);
      assert.equal(new URL(page.url()).pathname, start, user);
      if (none) assert.equal(await page.locator(`a[href="${none}"]`).count(), 0, `${user}: no link to ${none}`);
      const path = await page.getAttribute(link, 'href');
      await Promise.all([page.waitForNavigation(), page.click(link)]);
      assert.equal(new URL(page.url()).pathname, path, user);
      assert.ok(await page.locator('#import-form').isVisible(), `${user}: ${path}`);
      const current = page.locator(`a[href="${path}"][aria-current="page"]`);
      if (user !== 'jakaja-tapiola') assert.equal(await current.count(), 1, `${user}: ${path} marked current`);
      await checkAccessible(page, `${path} (${user})`);
      await page.context().close();
    }
  }
});
