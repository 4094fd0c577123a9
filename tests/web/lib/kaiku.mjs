// The kaiku under test: a new database (the demo network, or an empty one
// with a national user), `kaiku serve` on a free loopback port, stopped after.
// It builds nothing: the binary comes from the environment (KAIKU, set by
// run.sh from CTest's $<TARGET_FILE:kaiku>).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const DEMO_PASSWORD = 'kaikukortti-demo';
export const NATIONAL = 'nat';
export const NATIONAL_PASSWORD = 'national-password-1';

export function kaikuBinary() {
  const bin = process.env.KAIKU;
  if (!bin) throw new Error('KAIKU must name the built kaiku binary (tests/web/run.sh sets it)');
  return bin;
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function run(bin, args, input) {
  const r = spawnSync(bin, args, { input, encoding: 'utf8', timeout: 60000 });
  if (r.status !== 0) {
    throw new Error(`kaiku ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  }
  return r;
}

export class Kaiku {
  constructor({ demo = true } = {}) {
    this.bin = kaikuBinary();
    this.dir = mkdtempSync(join(tmpdir(), 'kaiku-web-'));
    this.db = join(this.dir, 'kaiku.db');
    this.logPath = join(this.dir, 'serve.log');
    this.demo = demo;
    this.proc = null;
  }

  // The database: `kaiku demo` (its logins all take DEMO_PASSWORD), or
  // `kaiku init` with one national user NATIONAL.
  prepare() {
    if (this.demo) {
      run(this.bin, ['demo', '--db', this.db]);
    } else {
      run(this.bin, ['init', '--db', this.db]);
      run(this.bin, ['user', 'add', '--db', this.db, '--username', NATIONAL, '--role', 'national',
        '--password-stdin'], NATIONAL_PASSWORD + '\n');
    }
  }

  async start() {
    this.prepare();
    this.port = await freePort();
    this.url = `http://127.0.0.1:${this.port}`;
    const log = openSync(this.logPath, 'a');
    this.proc = spawn(this.bin, ['serve', '--db', this.db, '--listen', `127.0.0.1:${this.port}`,
      '--threads', '2'], { stdio: ['ignore', log, log] });
    closeSync(log);
    // Should this process end before stop() (a failed or killed test run),
    // the server goes with it.
    const proc = this.proc;
    const dir = this.dir;
    process.once('exit', () => {
      if (proc.exitCode !== null) return;
      proc.kill('SIGKILL');
      if (!process.env.KAIKU_WEB_KEEP) rmSync(dir, { recursive: true, force: true });
    });
    for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, () => process.exit(128 + (sig === 'SIGINT' ? 2 : 15)));
    this.exited = new Promise((resolve) => this.proc.on('exit', (code, sig) => resolve(code ?? sig)));
    const deadline = Date.now() + 20000;
    while (Date.now() < deadline) {
      if (this.proc.exitCode !== null) break;
      try {
        const res = await fetch(this.url + '/healthz');
        if (res.status === 200) return this;
      } catch { /* not listening yet */ }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('kaiku serve did not come up: ' + this.log().slice(-2000));
  }

  log() {
    try { return readFileSync(this.logPath, 'utf8'); } catch { return ''; }
  }

  // SIGTERM, then the exit status (0 for a clean stop); the scratch folder goes.
  async stop() {
    if (!this.proc) return null;
    const proc = this.proc;
    this.proc = null;
    if (proc.exitCode === null) proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 30000);
    const rc = await this.exited;
    clearTimeout(timer);
    if (!process.env.KAIKU_WEB_KEEP) rmSync(this.dir, { recursive: true, force: true });
    return rc;
  }

  // One JSON API call: { status, body }.
  async api(method, path, body, token) {
    const headers = {};
    if (token) headers.Authorization = 'Bearer ' + token;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(this.url + path, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed = null;
    try { parsed = text ? JSON.parse(text) : null; } catch { parsed = { raw: text }; }
    return { status: res.status, body: parsed };
  }

  // A bearer token for username (the demo's password unless given).
  async token(username, password = DEMO_PASSWORD) {
    const r = await this.api('POST', '/api/v1/login', { username, password });
    if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.token;
  }
}

// The date in Finland, days from today, as "YYYY-MM-DD".
export function helsinkiDate(days = 0) {
  const d = new Date(Date.now() + days * 86400000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Helsinki' }).format(d);
}

// A date "YYYY-MM-DD" as lang writes it (core/i18n.h): 3.2.2027 in Finnish
// and Swedish, 2027-02-03 in English.
export function writtenDate(iso, lang) {
  if (lang === 'en') return iso;
  const [y, m, d] = iso.split('-').map(Number);
  return `${d}.${m}.${y}`;
}

// Cards in each state of R33's check, made through the API in the demo's
// unit espoo-leppavaara: { valid, expired, cancelled, notIssued } codes, and
// the API's own answer for each (status and valid_until).
export async function makeCards(kaiku, prefix) {
  const nat = await kaiku.token('tuki');
  const dist = await kaiku.token('jakaja-leppavaara');
  const codes = { valid: prefix + '1', expired: prefix + '2', cancelled: prefix + '3', notIssued: prefix + '4' };
  let r = await kaiku.api('POST', '/api/v1/stock',
    { unit: 'espoo-leppavaara', kind: 'personal', codes: Object.values(codes) }, nat);
  if (r.status !== 201) throw new Error('stock: ' + JSON.stringify(r.body));
  const handout = (card, on) => kaiku.api('POST', '/api/v1/handouts', {
    card, handed_out_on: on, birth_year: 1970, mother_tongue: 'fi', gender: 'not_told',
    postal_code: '02600', life_situation: ['unemployed'],
  }, dist);
  for (const [card, on] of [[codes.valid, helsinkiDate(0)], [codes.expired, helsinkiDate(-800)],
    [codes.cancelled, helsinkiDate(-10)]]) {
    r = await handout(card, on);
    if (r.status !== 201) throw new Error('handout ' + card + ': ' + JSON.stringify(r.body));
  }
  r = await kaiku.api('POST', `/api/v1/cards/${codes.cancelled}/cancel`, { reason: 'lost' }, dist);
  if (r.status !== 200) throw new Error('cancel: ' + JSON.stringify(r.body));
  const api = {};
  for (const [k, code] of Object.entries(codes)) {
    api[k] = (await kaiku.api('GET', '/api/v1/cards/' + code, undefined, nat)).body;
  }
  return { codes, api };
}
