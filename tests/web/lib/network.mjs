// What the coordinator's and the national pages' browser tests share
// (coordinator.test.mjs, national.test.mjs): signing in, a post and its
// redirect, and the check that hostile text stayed text.
import assert from 'node:assert/strict';
import { expectClean } from './browser.mjs';
import { DEMO_PASSWORD } from './kaiku.mjs';

// Signs in as username and waits for the role's start page.
export async function signIn(kaiku, page, username, start, lang) {
  await page.goto(kaiku.url + '/signin');
  await page.fill('#username', username);
  await page.fill('#password', DEMO_PASSWORD);
  await Promise.all([page.waitForURL(kaiku.url + start), page.press('#password', 'Enter')]);
  assert.equal(await page.getAttribute('html', 'lang'), lang);
}

// A form post and the new document it leads to.
export const posted = (kaiku, page, path, act) =>
  Promise.all([page.waitForNavigation({ url: (u) => u.pathname === path }), act()]);

// Hostile text shown literally and inert: no script of its own ran, no
// element, handler or javascript: link of its own exists. The pages' own
// SVG charts are the only <svg> in <main>.
export async function expectInert(page, what, texts = []) {
  const found = await page.evaluate(() => ({
    pwned: window.__pwned ?? null,
    scripts: [...document.scripts].map((s) => (s.src ? new URL(s.src).pathname : 'inline')),
    styles: document.querySelectorAll('style').length,
    inlineStyle: document.querySelectorAll('[style]').length,
    foreign: document.querySelectorAll('main iframe, main img, main b, main svg:not(.chart-svg), main script').length,
    handlers: [...document.querySelectorAll('*')].flatMap((e) =>
      [...e.attributes].filter((a) => a.name.startsWith('on')).map((a) => `${e.tagName} ${a.name}`)),
    jsLinks: [...document.querySelectorAll('a[href]')].filter((a) => /^\s*javascript:/i.test(a.getAttribute('href'))).length,
    main: document.querySelector('main').innerText,
  }));
  assert.equal(found.pwned, null, `${what}: a hostile script ran`);
  assert.deepEqual(found.scripts, ['/static/kaiku.js'], `${what}: only kaiku's own script`);
  assert.equal(found.styles, 0, `${what}: a <style> got in`);
  assert.equal(found.inlineStyle, 0, `${what}: an inline style`);
  assert.equal(found.foreign, 0, `${what}: an element from the text`);
  assert.deepEqual(found.handlers, [], `${what}: event handler attributes`);
  assert.equal(found.jsLinks, 0, `${what}: a javascript: link`);
  for (const t of texts) assert.ok(found.main.includes(t), `${what} shows ${t} literally`);
  expectClean(page, what);
}
