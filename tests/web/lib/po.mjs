// The catalogues' texts (po/LANG.po), so that a test compares what a page
// says with what the catalogue says in each language, not a copy of it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './browser.mjs';

const cache = {};

function unquote(s) {
  return JSON.parse(s.replace(/\\t/g, '\t'));
}

export function catalogue(lang) {
  if (cache[lang]) return cache[lang];
  const out = {};
  let key = null, field = null, buf = { msgid: '', msgstr: '' };
  const flush = () => { if (key !== null) out[buf.msgid] = buf.forms ? { forms: buf.forms } : buf.msgstr; };
  for (const line of readFileSync(join(ROOT, 'po', lang + '.po'), 'utf8').split('\n')) {
    let m;
    if ((m = line.match(/^msgid (".*")$/))) {
      flush();
      buf = { msgid: unquote(m[1]), msgstr: '' };
      key = buf.msgid; field = 'msgid';
    } else if ((m = line.match(/^msgstr (".*")$/))) {
      buf.msgstr = unquote(m[1]); field = 'msgstr';
    } else if ((m = line.match(/^msgid_plural (".*")$/))) {
      buf.forms = []; field = null;
    } else if ((m = line.match(/^msgstr\[(\d)\] (".*")$/))) {
      buf.forms[Number(m[1])] = unquote(m[2]); field = null;
    } else if ((m = line.match(/^(".*")$/)) && field) {
      buf[field] += unquote(m[1]);
      if (field === 'msgid') key = buf.msgid;
    }
  }
  flush();
  cache[lang] = out;
  return out;
}

// The text of key in lang with {1}… filled from args.
export function text(lang, key, ...args) {
  const t = catalogue(lang)[key];
  if (t === undefined) throw new Error(`no ${key} in po/${lang}.po`);
  if (typeof t !== 'string') throw new Error(`${key} is counted: use plural()`);
  return fill(t, args);
}

// A counted sentence: the form of key in lang for n (fi, sv and en alike:
// Plural-Forms: nplurals=2; plural=(n != 1)), {1}… filled from args.
export function plural(lang, key, n, ...args) {
  const t = catalogue(lang)[key];
  if (t === undefined || typeof t === 'string') throw new Error(`no counted ${key} in po/${lang}.po`);
  return fill(t.forms[Number(n) !== 1 ? 1 : 0], args);
}

function fill(t, args) {
  return t.replace(/\{(\d)\}/g, (all, n) => (args[n - 1] !== undefined ? String(args[n - 1]) : all));
}
