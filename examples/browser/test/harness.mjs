/*
 * harness.mjs: what the browser suites share — a page that records its
 * errors, named checks, and the screenshot folder (build/screenshots, not
 * committed).
 */
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../server.mjs';

/** SHOTS is where the suites write screenshots for people to look at. */
export const SHOTS = path.join(ROOT, 'build/screenshots');

/**
 * newPage opens a page at 1280x800 that collects page errors and console
 * errors into page.errors.
 */
export async function newPage(context) {
  const page = await context.newPage();
  await page.setViewportSize({ width: 1280, height: 800 });
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') page.errors.push(`console: ${m.text()}`); });
  page.on('requestfailed', (r) => page.errors.push(`request failed: ${r.url()} ${r.failure() ? r.failure().errorText : ''}`));
  page.on('response', (r) => { if (r.status() >= 400) page.errors.push(`HTTP ${r.status()}: ${r.url()}`); });
  return page;
}

/** screenshot writes build/screenshots/<name>.png. */
export async function screenshot(page, name) {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/** Checks collects named results; run(name, fn) never throws. */
export class Checks {
  constructor() { this.results = []; }
  async run(name, fn) {
    try {
      await fn();
      this.results.push({ name, ok: true });
    } catch (e) {
      // The whole message (an audit lists every finding), then where it was thrown.
      const at = e && e.stack ? e.stack.split('\n').filter((l) => /^\s+at /.test(l)).slice(0, 3) : [];
      this.results.push({ name, ok: false, detail: e && e.message !== undefined ? [`${e.name || 'Error'}: ${e.message}`, ...at].join('\n') : String(e) });
    }
  }
  add(name, ok, detail) { this.results.push({ name, ok, detail }); }
}

/** expect throws with got/want when the two differ. */
export function expect(what, got, want) {
  if (got !== want) throw new Error(`${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
}
