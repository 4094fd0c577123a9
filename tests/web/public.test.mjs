// The public pages, no sign-in (issue 14, item 5), in a real browser on the
// demo network: axe (WCAG 2.1 A/AA) on every page type in fi, sv and en; the
// visitor's flow — browse the offer, check a card — in each language, and
// once by keyboard alone; card codes only ever in POST bodies (R33);
// screenshots at 360 and 1280 px for docs/guide.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { expectAccessible, expectClean, LANGS, launch, openPage, screenshot } from './lib/browser.mjs';
import { DEMO_PASSWORD, helsinkiDate, Kaiku, makeCards, writtenDate } from './lib/kaiku.mjs';

let kaiku, browser, cards, events;
const REGION = 'espoo';

before(async () => {
  kaiku = await new Kaiku().start();
  browser = await launch();
  cards = await makeCards(kaiku, 'WEBP');
  // R17: an event with booking and collection windows, and an excluded one,
  // three days ahead at Teatteri Hilla (Espoo).
  const nat = await kaiku.token('tuki');
  const day = helsinkiDate(3);
  events = {};
  for (const [k, extra] of Object.entries({
    windows: { name: 'Ikkunanäytös', booking_opens_days: 30, collection_opens_minutes: 45 },
    excluded: { name: 'Ensi-ilta', excluded: true, exclusion_reason: 'Ensi-illan liput on jo jaettu' },
  })) {
    const r = await kaiku.api('POST', '/api/v1/events', {
      venue: 'teatteri-hilla', kind: 'performance', starts_at: `${day}T19:00`, capacity: 200, ...extra,
    }, nat);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    events[k] = r.body;
  }
});

after(async () => {
  await browser?.close();
  assert.equal(await kaiku?.stop(), 0);
});

// A page of the site: 200, <html lang> right, one <main> and one <h1>, no
// catalogue key left showing, no console error or CSP violation.
async function visit(page, path, lang, status = 200) {
  const res = await page.goto(kaiku.url + path);
  assert.equal(res.status(), status, `${path} (${lang})`);
  assert.equal(await page.getAttribute('html', 'lang'), lang, `<html lang> of ${path}`);
  assert.equal(await page.locator('main').count(), 1, `one main on ${path}`);
  if (status === 200) assert.equal(await page.locator('h1').count(), 1, `one h1 on ${path}`);
  const text = await page.innerText('body');
  assert.doesNotMatch(text, /page\.[a-z_]+\.[a-z_.]+/, `a catalogue key shows on ${path}`);
  return res;
}

const PAGES = ['/', '/offer', `/offer/${REGION}`, '/offer/kainuu', '/where', '/privacy', '/check'];

test('every public page type passes axe (WCAG 2.1 AA) in fi, sv and en', async () => {
  for (const lang of LANGS) {
    const page = await openPage(browser, { lang });
    for (const path of PAGES) {
      await visit(page, path, lang);
      await expectAccessible(page, `${path} (${lang})`);
    }
    // The check page with an error (nothing typed), and with a result.
    await page.click('#check-submit');
    assert.equal(await page.locator('#error-summary a[href="#card"]').count(), 1);
    assert.equal(await page.getAttribute('#card', 'aria-invalid'), 'true');
    await expectAccessible(page, `/check with an error (${lang})`);
    await page.fill('#card', cards.codes.valid);
    await page.click('#check-submit');
    await page.waitForSelector('#check-result');
    await expectAccessible(page, `/check with a result (${lang})`);
    // A region that does not exist: the site's 404 page.
    await visit(page, '/offer/no-such-region', lang, 404);
    await expectAccessible(page, `404 (${lang})`);
    expectClean(page, lang);
    await page.context().close();
  }
});

test('the offer shows venues with R20 facts, R17 restrictions and R22 pop-up venues', async () => {
  const page = await openPage(browser, { lang: 'fi' });
  await visit(page, `/offer/${REGION}`, 'fi');
  const main = await page.innerText('main');
  // R20: every venue of the region, with category, accessibility and cloakroom.
  const venues = (await kaiku.api('GET', `/api/v1/venues?region=${REGION}`)).body.venues;
  assert.ok(venues.length > 0);
  for (const v of venues) assert.ok(main.includes(v.name), v.name);
  assert.match(main, /Teatteri/);
  assert.match(main, /Maksuton Kaikukortin haltijoille/);
  // R17: the windows and the exclusion with its reason.
  const opens = writtenDate(helsinkiDate(3 - 30), 'fi');
  assert.ok(main.includes(`Varaus avautuu ${opens} klo 19.00 (30 päivää ennen alkua).`), main);
  assert.ok(main.includes('aikaisintaan klo 18.15 (45 minuuttia ennen alkua)'));
  assert.ok(main.includes('Ei Kaikukortilla. Syy: Ensi-illan liput on jo jaettu'));
  // R22: the national pop-up venue, on the region's page and on the index.
  assert.match(main, /Ateneumin taidemuseo/);
  await visit(page, '/offer', 'fi');
  assert.match(await page.innerText('#popup + p + ul'), /Ateneumin taidemuseo/);
  // Where to get a card: the units of each region.
  await visit(page, '/where', 'fi');
  const where = await page.innerText('main');
  for (const region of ['Espoo', 'Kainuun maakunta', 'Pirkanmaa']) assert.ok(where.includes(region), region);
  expectClean(page, 'offer');
  await page.context().close();
});

const RESULT = {
  fi: { valid: 'Voimassa {d} asti.', expired: 'Kortti oli voimassa {d} asti.' },
  sv: { valid: 'Giltigt till och med {d}.', expired: 'Kortet gällde till och med {d}.' },
  en: { valid: 'Valid until {d}.', expired: 'The card was valid until {d}.' },
};

// Every request the page makes, to prove the code never rides in a URL.
function watchRequests(page) {
  const seen = [];
  page.on('request', (req) => seen.push({ url: req.url(), method: req.method(), body: req.postData() || '' }));
  return seen;
}

test('a visitor browses the offer and checks a card, in each language', async () => {
  for (const lang of LANGS) {
    const page = await openPage(browser, { lang, width: 360, height: 780 });
    const seen = watchRequests(page);
    await visit(page, '/', lang);
    await page.click('main a[href="/offer"]');
    await page.waitForURL(kaiku.url + '/offer');
    await page.click(`main a[href="/offer/${REGION}"]`);
    await page.waitForURL(kaiku.url + `/offer/${REGION}`);
    assert.match(await page.innerText('h1'), /Espoo/);
    await page.click('footer a[href="/check"]');
    await page.waitForURL(kaiku.url + '/check');
    // R1: lower case and spaces are fine.
    await page.fill('#card', '  ' + cards.codes.valid.toLowerCase() + ' ');
    await page.click('#check-submit');
    await page.waitForSelector('#check-result');
    assert.equal(page.url(), kaiku.url + '/check', 'the result comes back to /check, no query');
    const until = writtenDate(cards.api.valid.valid_until, lang);
    const result = await page.innerText('#check-result');
    assert.ok(result.includes(RESULT[lang].valid.replace('{d}', until)), result);
    // R33: a status and a date, nothing else.
    assert.ok(!result.includes('1970') && !result.includes('02600'));
    const posts = seen.filter((s) => s.method === 'POST');
    assert.equal(posts.length, 1);
    assert.match(posts[0].body, new RegExp('card=[+ ]*' + cards.codes.valid.toLowerCase()));
    for (const s of seen) assert.ok(!s.url.toUpperCase().includes(cards.codes.valid), s.url);
    await screenshot(page, lang === 'fi' ? 'julkinen-tarkista-360' : `public-check-${lang}-360`);
    // A reload shows the empty form again: the result is not kept.
    await page.reload();
    assert.equal(await page.locator('#check-result').count(), 0);
    expectClean(page, lang);
    await page.context().close();
  }
});

test('each status of a card in plain words, and errors next to the field', async () => {
  const page = await openPage(browser, { lang: 'fi' });
  const check = async (code) => {
    await page.goto(kaiku.url + '/check');
    await page.fill('#card', code);
    await page.click('#check-submit');
    await page.waitForLoadState();
    return page.innerText('main');
  };
  assert.match(await check(cards.codes.expired),
    new RegExp(RESULT.fi.expired.replace('{d}', writtenDate(cards.api.expired.valid_until, 'fi'))));
  assert.match(await check(cards.codes.cancelled), /Kortti on peruttu/);
  assert.match(await check(cards.codes.notIssued), /Korttia ei ole vielä otettu käyttöön/);
  assert.match(await check('WEBPNOSUCH9'), /Tunnusta ei löydy/);
  await page.goto(kaiku.url + '/check');
  await page.fill('#card', 'E-22/51');
  await page.click('#check-submit');
  assert.match(await page.innerText('#card-error'), /Kortin tunnus on virheellinen/);
  assert.equal(await page.inputValue('#card'), 'E-22/51', 'what was typed stays in the field');
  await page.click('#error-summary a[href="#card"]');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'card');
  expectClean(page, 'statuses');
  await page.context().close();
  // A code in the URL is refused: the page takes no query parameters.
  const res = await fetch(`${kaiku.url}/check?card=${cards.codes.valid}`);
  assert.equal(res.status, 400);
});

test('the check result cookie carries a status and a day only, and a forged one shows nothing else', async () => {
  const get = (cookie) => fetch(kaiku.url + '/check', { headers: { Cookie: cookie } })
    .then(async (r) => ({ status: r.status, cookie: r.headers.get('set-cookie'), body: await r.text() }));
  // What the POST sets: no code in it.
  const post = await fetch(kaiku.url + '/check', {
    method: 'POST', redirect: 'manual', body: 'card=' + cards.codes.valid,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  assert.equal(post.status, 303);
  assert.equal(post.headers.get('location'), '/check');
  const set = post.headers.get('set-cookie');
  assert.match(set, /^kaiku_check=valid-\d+; HttpOnly; SameSite=Strict; Path=\/check; Max-Age=300/);
  assert.ok(!set.includes(cards.codes.valid));
  // Shown once, then cleared.
  const shown = await get(set.split(';')[0]);
  assert.match(shown.body, /id="check-result"/);
  assert.match(shown.cookie, /^kaiku_check=; .*Max-Age=0/);
  // Garbage is ignored (and cleared); a well-formed forgery only fools its forger.
  for (const bad of ['valid', 'valid-', 'valid-x1', 'valid-99999999999', 'expired-1-2', 'gone', '<script>']) {
    const r = await get('kaiku_check=' + encodeURIComponent(bad));
    assert.equal(r.status, 200);
    assert.doesNotMatch(r.body, /id="check-result"/, bad);
  }
});

test('a signed-in member of staff can use Check my card too (the form carries the CSRF token)', async () => {
  const page = await openPage(browser, { lang: 'fi' });
  await page.goto(kaiku.url + '/signin');
  await page.fill('#username', 'kassa-hilla');
  await page.fill('#password', DEMO_PASSWORD);
  await Promise.all([page.waitForURL(kaiku.url + '/box-office'), page.press('#password', 'Enter')]);
  await page.goto(kaiku.url + '/check');
  await page.fill('#card', cards.codes.valid);
  await page.click('#check-submit');
  await page.waitForSelector('#check-result');
  assert.match(await page.innerText('#check-result'), /Kortti on voimassa/);
  expectClean(page, 'signed in');
  await page.context().close();
});

test('by keyboard alone: the offer, then a card check', async () => {
  const page = await openPage(browser, { lang: 'fi' });
  await visit(page, '/', 'fi');
  // Tab to an element matching selector (at most 60 presses); fails if never.
  const tabTo = async (selector) => {
    for (let i = 0; i < 60; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate((s) => document.activeElement?.matches(s), selector)) {
        const visible = await page.evaluate(() => {
          const st = getComputedStyle(document.activeElement);
          return (st.outlineStyle !== 'none' && parseFloat(st.outlineWidth) > 0) || st.boxShadow !== 'none';
        });
        assert.ok(visible, `focus is visible on ${selector}`);
        return;
      }
    }
    assert.fail(`Tab never reached ${selector}`);
  };
  await tabTo('main a[href="/offer"]');
  await page.keyboard.press('Enter');
  await page.waitForURL(kaiku.url + '/offer');
  await tabTo(`main a[href="/offer/${REGION}"]`);
  await page.keyboard.press('Enter');
  await page.waitForURL(kaiku.url + `/offer/${REGION}`);
  await tabTo('footer a[href="/check"]');
  await page.keyboard.press('Enter');
  await page.waitForURL(kaiku.url + '/check');
  // The code field has the focus when the page opens.
  assert.equal(await page.evaluate(() => document.activeElement.id), 'card');
  await page.keyboard.type(cards.codes.valid);
  await page.keyboard.press('Enter');
  await page.waitForSelector('#check-result');
  assert.match(await page.innerText('#check-result'), /Kortti on voimassa/);
  expectClean(page, 'keyboard');
  await page.context().close();
});

test('every public page reflows at 320 px: no sideways scrolling (WCAG 1.4.10)', async () => {
  const page = await openPage(browser, { lang: 'fi', width: 320, height: 640 });
  for (const path of PAGES) {
    await visit(page, path, 'fi');
    const [scroll, client] = await page.evaluate(() =>
      [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
    assert.ok(scroll <= client, `${path} is ${scroll} px wide in a 320 px window`);
  }
  await page.context().close();
});

test('screenshots for the guide at 360 and 1280 px', async () => {
  for (const [width, height] of [[360, 780], [1280, 900]]) {
    const page = await openPage(browser, { lang: 'fi', width, height });
    await visit(page, '/', 'fi');
    await screenshot(page, `julkinen-etusivu-${width}`);
    await visit(page, `/offer/${REGION}`, 'fi');
    await screenshot(page, `julkinen-tarjonta-${width}`);
    await page.context().close();
  }
  // For the Swedish and English guides: a region's offer on a phone.
  for (const lang of ['sv', 'en']) {
    const page = await openPage(browser, { lang, width: 360, height: 780 });
    await visit(page, `/offer/${REGION}`, lang);
    await screenshot(page, `public-offer-${lang}-360`);
    expectClean(page, `screenshot ${lang}`);
    await page.context().close();
  }
});
