/*
 * components.mjs: the components on a blank page (test/blank.html, the
 * embedding example of docs/JS.md), outside the dashboard.
 */
import { expect, newPage, screenshot } from './harness.mjs';

/** components runs the blank-page checks. */
export async function components(context, server, checks) {
  const page = await newPage(context);
  try {
    await page.goto(`${server.url}/examples/browser/test/blank.html`, { waitUntil: 'load' });
    await page.waitForFunction(() => window.__embedded !== undefined, null, { timeout: 60_000, polling: 100 });
    await checks.run('components: <ceg-graph> on a blank page draws every node by kind, the plan highlighted', async () => {
      const nodes = page.locator('ceg-graph g.node');
      await nodes.first().waitFor({ timeout: 30_000 });
      expect('nodes drawn', await nodes.count(), 4);
      expect('edges drawn', await page.locator('ceg-graph g.edge').count(), 3);
      const plan = await page.evaluate(() => window.__embedded.plan);
      const chosen = page.locator(`ceg-graph g.node[data-id="${plan.steps[0].resource}"]`);
      expect('chosen resource status', await chosen.getAttribute('data-status'), 'in plan');
      expect('the words say it too', (await chosen.textContent()).includes('in plan'), true);
      expect('rejected resource status', await page.locator('ceg-graph g.node[data-id="local"]').getAttribute('data-status'), 'rejected');
      expect('intent shape', await page.locator('ceg-graph g.node[data-kind="intent"] ellipse').count(), 1);
    });
    await checks.run('components: <ceg-graph> emits ceg-select on click and on Enter', async () => {
      await page.evaluate(() => {
        window.__sel = [];
        document.querySelector('ceg-graph').addEventListener('ceg-select', (e) => window.__sel.push(e.detail.id));
      });
      await page.locator('ceg-graph g.node[data-id="claude"]').click();
      await page.locator('ceg-graph g.node[data-id="gpt"]').focus();
      await page.keyboard.press('Enter');
      expect('selections', JSON.stringify(await page.evaluate(() => window.__sel)), JSON.stringify(['claude', 'gpt']));
    });
    await checks.run('components: <ceg-plan> shows USD, ms, the failover chain and rejections in plain words', async () => {
      const text = await page.locator('ceg-plan .body').textContent();
      for (const want of ['feasible', 'total money $', ' ms', 'wave 0', '\u2192claude (anthropic)', 'local (local): it lacks a capability the step needs', 'MISSING_CAPABILITY']) {
        if (!text.includes(want)) throw new Error(`plan view lacks ${JSON.stringify(want)}: ${text}`);
      }
      await page.evaluate(() => {
        window.__planSel = null;
        document.querySelector('ceg-plan').addEventListener('ceg-select', (e) => { window.__planSel = e.detail; });
      });
      await page.locator('ceg-plan button.res[data-resource="claude"]').click();
      expect('ceg-plan selection', (await page.evaluate(() => window.__planSel)).resource, 'claude');
    });
    await checks.run('components: <ceg-trace> lists the records and verifies the chain; a tampered record is marked', async () => {
      await page.locator('ceg-trace [data-valid="true"]').waitFor({ timeout: 30_000 });
      const n = await page.locator('ceg-trace li').count();
      if (n < 4) throw new Error(`only ${n} records`);
      await page.evaluate(() => {
        const t = document.querySelector('ceg-trace');
        const recs = structuredClone(t.records);
        recs[2].data = { ...recs[2].data, forged: true };
        t.records = recs;
      });
      await page.locator('ceg-trace [data-valid="false"]').waitFor({ timeout: 30_000 });
      expect('marked record', await page.locator('ceg-trace li[data-tampered="true"]').getAttribute('data-index'), '2');
      expect('marked in words', (await page.locator('ceg-trace li[data-tampered="true"]').textContent()).includes('does not verify'), true);
    });
    await screenshot(page, 'components-blank-page');
    checks.add('components: the blank page has no errors', page.errors.length === 0, page.errors.join('\n'));
  } finally {
    await page.close();
  }
}
