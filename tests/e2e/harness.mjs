// Starts the real `tdkt serve` on a free port over a fresh database (as
// tests/http/harness.py does), launches the system Chromium through
// playwright-core, and offers two page helpers: an axe-core check and a
// full-page screenshot. Standard library + playwright-core + axe-core only.
//
// Environment:
//   TDKT_BIN        the tdkt binary (default ../../build/tdkt beside this file)
//   TDKT_TEST_DB    "sqlite" (default) or "postgres"
//   TDKT_TEST_PG    admin conninfo URL for postgres (a database is made per run)
//   TDKT_CHROMIUM   the Chromium binary (default /usr/bin/chromium)
//   TDKT_E2E_OUT    where screenshots go (default tests/e2e/out under the
//                   folder holding TDKT_BIN, i.e. the build dir)

import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));

export const BIN = path.resolve(process.env.TDKT_BIN || path.join(HERE, '../../build/tdkt'));
export const DRIVER = process.env.TDKT_TEST_DB || 'sqlite';
export const OUT_DIR = path.resolve(
  process.env.TDKT_E2E_OUT || path.join(path.dirname(BIN), 'tests', 'e2e', 'out'));
const AXE_PATH = path.join(HERE, 'node_modules', 'axe-core', 'axe.min.js');

if (DRIVER !== 'sqlite' && DRIVER !== 'postgres') {
  throw new Error(`TDKT_TEST_DB must be "sqlite" or "postgres", not "${DRIVER}"`);
}

function pgAdmin(sql) {
  const admin = process.env.TDKT_TEST_PG;
  if (!admin) {
    throw new Error('TDKT_TEST_DB=postgres needs TDKT_TEST_PG (run through scripts/with-pg.sh)');
  }
  const r = spawnSync('psql', ['-q', '-v', 'ON_ERROR_STOP=1', admin, '-c', sql],
    { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`psql failed (${r.status}) on: ${sql}\n${r.stderr}`);
}

/** One tdkt process with its own database. Use `await Server.start()`. */
export class Server {
  constructor() {
    this.tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tdkt-e2e-'));
    this.pgName = null;
    this.proc = null;
    this.url = null;
    this.logPath = path.join(this.tmp, 'server.log');
  }

  static async start({ demo = true, extraArgs = [], env = {} } = {}) {
    const s = new Server();
    try {
      await s._start(demo, extraArgs, env);
    } catch (e) {
      await s.stop();
      throw e;
    }
    return s;
  }

  async _start(demo, extraArgs, env) {
    if (!fs.existsSync(BIN)) throw new Error(`tdkt binary not found: ${BIN} (set TDKT_BIN)`);
    if (DRIVER === 'postgres') {
      const admin = process.env.TDKT_TEST_PG;
      this.pgName = 'tdkt_e2e_' + randomUUID().replace(/-/g, '').slice(0, 12);
      pgAdmin(`CREATE DATABASE ${this.pgName}`);
      this.db = admin.slice(0, admin.lastIndexOf('/')) + '/' + this.pgName;
    } else {
      this.db = path.join(this.tmp, 'tdkt.db');
    }
    const init = spawnSync(BIN, ['init', '--db', this.db, ...(demo ? ['--demo'] : [])],
      { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
    if (init.error) throw init.error;
    if (init.status !== 0) throw new Error(`tdkt init failed (${init.status}): ${init.stderr}`);

    const logFd = fs.openSync(this.logPath, 'w');
    this.proc = spawn(BIN, ['serve', '--listen', '127.0.0.1:0', '--db', this.db, ...extraArgs], {
      env: { ...process.env, TDKT_STRICT_TEMPLATES: '1', ...env },
      stdio: ['ignore', 'pipe', logFd],
    });
    fs.closeSync(logFd);
    this.exited = new Promise((resolve) => this.proc.once('exit', (code, sig) => resolve({ code, sig })));

    // The first stdout line names the address; keep draining stdout after it.
    this.url = await new Promise((resolve, reject) => {
      let buf = '';
      const timer = setTimeout(() => fail(new Error('no address line within 20 s')), 20000);
      const fail = (err) => {
        clearTimeout(timer);
        reject(new Error(`server did not start: ${err.message}\nstdout: ${buf}\nlog:\n${this.readLog()}`));
      };
      this.proc.stdout.setEncoding('utf8');
      this.proc.stdout.on('data', (chunk) => {
        if (buf === null) return;
        buf += chunk;
        const nl = buf.indexOf('\n');
        if (nl < 0) return;
        const m = /http:\/\/([0-9.]+):(\d+)\//.exec(buf.slice(0, nl));
        clearTimeout(timer);
        if (m) {
          buf = null;
          resolve(`http://${m[1]}:${m[2]}`);
        } else {
          fail(new Error('unexpected first line: ' + buf.slice(0, nl)));
        }
      });
      this.proc.once('error', fail);
      this.exited.then(({ code, sig }) => fail(new Error(`exited (code ${code}, signal ${sig})`)));
    });
  }

  /** Absolute URL for a path such as "/units". */
  at(p) {
    return this.url + p;
  }

  readLog() {
    try {
      return fs.readFileSync(this.logPath, 'utf8');
    } catch {
      return '';
    }
  }

  /** Runs `tdkt ARGS... --db DB`; returns {status, stdout, stderr}. */
  cli(...args) {
    return spawnSync(BIN, [...args, '--db', this.db], { encoding: 'utf8' });
  }

  async stop() {
    if (this.proc && this.proc.exitCode === null && this.proc.signalCode === null) {
      this.proc.kill('SIGTERM');
      const killer = setTimeout(() => this.proc.kill('SIGKILL'), 20000);
      await this.exited;
      clearTimeout(killer);
    }
    if (this.pgName) {
      try {
        pgAdmin(`DROP DATABASE IF EXISTS ${this.pgName} WITH (FORCE)`);
      } finally {
        this.pgName = null;
      }
    }
    fs.rmSync(this.tmp, { recursive: true, force: true });
  }
}

/** Launches the system Chromium headless (never a downloaded browser). */
export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.TDKT_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-dev-shm-usage'],
  });
}

let axeSource = null;

// page.addScriptTag({path}) inserts an inline <script>, which the server's
// Content-Security-Policy (script-src 'self') rightly blocks. Rather than
// turning CSP off for the whole context (bypassCSP), evaluate the same file
// through the DevTools protocol, which CSP does not govern, so the tests keep
// running under the real policy.
async function injectAxe(page) {
  if (await page.evaluate(() => typeof window.axe !== 'undefined')) return;
  axeSource ??= fs.readFileSync(AXE_PATH, 'utf8');
  await page.evaluate(axeSource);
  if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) {
    throw new Error(`axe-core did not load from ${AXE_PATH}`);
  }
}

/**
 * Runs axe-core (WCAG 2.0/2.1 A and AA rules) on the page as it is now and
 * fails listing every violation of impact "serious" or "critical". Returns
 * all violations (minor and moderate ones too) for whoever wants to log them.
 */
export async function checkA11y(page, label = '') {
  await injectAxe(page);
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')),
    }));
  });
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (bad.length) {
    const lines = bad.map((v) => `  - ${v.id} [${v.impact}] ${v.help}\n      target: ${v.targets.join(' | ')}`);
    assert.fail(`axe: ${bad.length} serious/critical violation(s) on ${label || page.url()}:\n${lines.join('\n')}`);
  }
  return violations;
}

/** Saves a full-page PNG as OUT_DIR/<driver>-<name>.png and returns its path.
 * Chromium now and then answers "Unable to capture screenshot" when two
 * browsers share two busy cores (both drivers run at once): the capture is
 * tried again, three times in all, before the step fails. */
export async function screenshot(page, name) {
  fs.mkdirSync(OUT_DIR, { recursive: true });
  const file = path.join(OUT_DIR, `${DRIVER}-${name}.png`);
  for (let attempt = 1; ; attempt++) {
    try {
      await page.screenshot({ path: file, fullPage: true });
      return file;
    } catch (err) {
      if (attempt >= 3 || !/Unable to capture screenshot/.test(String(err && err.message))) throw err;
      await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
    }
  }
}
