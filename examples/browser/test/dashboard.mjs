/*
 * dashboard.mjs: the dashboard (examples/browser/index.html) as a user
 * drives it — scenarios, what-if, simulation, tampering, the editor,
 * load/save, labels — on one page at 1280x800. Screenshots of each scenario
 * go to build/screenshots/. No timed assertions: waits are generous and
 * only bound a hang.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, newPage, screenshot } from './harness.mjs';

const WAIT = { timeout: 60_000 };

/** dashboard runs the dashboard checks. */
export async function dashboard(context, server, checks) {
  const page = await newPage(context);
  const plan = () => page.evaluate(() => window.__ceg.plan);
  const scenario = () => page.evaluate(() => window.__ceg.scenario);
  try {
    await page.goto(`${server.url}/examples/browser/index.html`, { waitUntil: 'load' });
    await page.waitForFunction(() => window.__ceg && window.__ceg.firstPlanMs !== null, null, { ...WAIT, polling: 100 });

    for (const name of ['chat-failover', 'agent-tools', 'infeasible-budget']) {
      await checks.run(`dashboard: scenario ${name} loads from the picker and draws its nodes and plan`, async () => {
        if ((await scenario()).name !== name) {
          await page.selectOption('#scenario', name);
          await page.waitForFunction((n) => window.__ceg.scenario.name === n && window.__ceg.plan, name, WAIT);
        }
        const s = await scenario();
        await page.waitForFunction((n) => document.querySelector('#graph').shadowRoot.querySelectorAll('g.node').length === n, s.request.graph.nodes.length, WAIT);
        const ids = await page.locator('#graph g.node').evaluateAll((els) => els.map((e) => e.dataset.id).sort());
        expect('node ids drawn', JSON.stringify(ids), JSON.stringify(s.request.graph.nodes.map((n) => n.id).sort()));
        const p = await plan();
        const verdict = page.locator('#plan .verdict');
        expect('plan verdict', await verdict.getAttribute('data-feasible'), String(p.feasible));
        if (name === 'infeasible-budget') {
          expect('infeasible code', p.infeasibility.code, 'BUDGET_EXCEEDED');
          if (!(await verdict.textContent()).includes('even the cheapest assignment costs more than the budget')) throw new Error('the verdict is not in plain words');
        } else {
          for (const st of p.steps) expect(`${st.intent} highlighted`, await page.locator(`#graph g.node[data-id="${st.resource}"]`).getAttribute('data-status'), 'in plan');
        }
        await screenshot(page, `dashboard-${name}`);
      });
    }

    await checks.run('dashboard: raising the budget of the infeasible scenario makes it feasible (what-if)', async () => {
      await page.fill('#budget', '0.05');
      await page.locator('#budget').dispatchEvent('change');
      await page.waitForFunction(() => window.__ceg.plan.feasible === true, null, WAIT);
      await page.locator('#plan .changes [data-reason="FEASIBLE"]').waitFor(WAIT);
    });

    await checks.run('dashboard: moving a health slider (keyboard) re-plans to the expected provider, and says why', async () => {
      await page.selectOption('#scenario', 'chat-failover');
      await page.waitForFunction(() => window.__ceg.scenario.name === 'chat-failover' && window.__ceg.plan, null, WAIT);
      const before = await plan();
      const st = before.steps[0];
      const want = st.fallbacks[0];
      await page.locator(`#health-${st.provider}`).focus();
      await page.keyboard.press('Home'); // range to 0: the provider is down
      await page.waitForFunction((r) => window.__ceg.plan.steps[0] && window.__ceg.plan.steps[0].resource === r, want.resource, WAIT);
      await page.locator(`#plan section.step[data-resource="${want.resource}"]`).waitFor(WAIT);
      await page.locator('#plan .changes [data-reason="RESOURCE_DOWN"]').waitFor(WAIT);
      const rej = await page.locator(`#plan ul.rejected li[data-resource="${st.resource}"]`).textContent();
      if (!rej.includes('the provider is down')) throw new Error(`the rejection is not in plain words: ${rej}`);
      const log = await page.locator('#changelog li').first().textContent();
      if (!log.includes(`${st.resource} \u2192 ${want.resource}`)) throw new Error(`the change log says ${log}`);
      const n = await page.evaluate(() => window.__ceg.replans.length);
      if (n < 1) throw new Error('no replan was measured');
      await screenshot(page, 'dashboard-what-if');
    });

    await checks.run('dashboard: a what-if change redraws in place: graph nodes are kept, a focused plan button keeps its focus', async () => {
      // Regression guard of the one-frame redraw: a change must not rebuild
      // the graph or the plan view from scratch (and so lose keyboard focus).
      await page.evaluate(() => {
        const g = document.querySelector('#graph').shadowRoot;
        window.__keptNode = g.querySelector('g.node');
        window.__keptButton = document.querySelector('#plan').shadowRoot.querySelector('button.res');
        window.__keptButton.focus();
      });
      const n = await page.evaluate(() => window.__ceg.replans.length);
      const st = (await plan()).steps[0];
      const other = (await scenario()).request.graph.nodes.find((x) => x.kind === 'resource' && x.provider !== st.provider).provider;
      await page.evaluate((p) => {
        const el = document.getElementById(`health-${p}`);
        el.value = String(Number(el.value) - 0.05);
        el.dispatchEvent(new Event('input', { bubbles: true }));
      }, other);
      await page.waitForFunction((k) => window.__ceg.replans.length > k, n, WAIT);
      const kept = await page.evaluate(() => ({
        node: window.__keptNode.isConnected,
        button: window.__keptButton.isConnected,
        focus: document.querySelector('#plan').shadowRoot.activeElement === window.__keptButton,
      }));
      expect('graph node element kept', kept.node, true);
      expect('plan button element kept', kept.button, true);
      expect('plan button keeps focus', kept.focus, true);
    });

    await checks.run('dashboard: opening a breaker and forbidding a provider re-plan with their reasons', async () => {
      const st = (await plan()).steps[0];
      await page.check(`#forbid-${st.provider}`);
      await page.locator('#plan .changes [data-reason="FORBIDDEN_PROVIDER"]').waitFor(WAIT);
      const st2 = (await plan()).steps[0];
      await page.check(`#breaker-${st2.provider}`);
      await page.locator('#plan .changes [data-reason="RESOURCE_DOWN"]').waitFor(WAIT);
      if ((await plan()).steps[0].provider === st2.provider) throw new Error('the open breaker did not move the plan');
    });

    await checks.run('dashboard: a simulation runs to completion with failovers and its trace verifies', async () => {
      await page.selectOption('#scenario', 'chat-failover'); // fresh controls
      await page.waitForFunction(() => window.__ceg.scenario.name === 'chat-failover' && window.__ceg.plan, null, WAIT);
      await page.click('.tab[data-tab="sim"]');
      await page.click('#sim-play');
      await page.waitForFunction(() => window.__ceg.sim && window.__ceg.sim.done && window.__ceg.sim.verification, null, { timeout: 120_000, polling: 200 });
      const sim = await page.evaluate(() => ({ status: window.__ceg.sim.session.status, verification: window.__ceg.sim.verification, ticks: window.__ceg.sim.ticks }));
      expect('session status', sim.status, 'complete');
      expect('trace verifies', sim.verification.valid, true);
      if (sim.ticks.length < 2) throw new Error(`only ${sim.ticks.length} ticks`);
      await page.locator('#sim-ticks li[data-event="retry"]').first().waitFor(WAIT);
      await page.locator('#sim-ticks li[data-state]').first().waitFor(WAIT);
      await page.locator('#trace [data-valid="true"]').waitFor(WAIT);
      const n = await page.locator('#trace li').count();
      expect('trace rows', n, sim.verification.count);
      await screenshot(page, 'dashboard-simulation');
    });

    await checks.run('dashboard: tampering a record in the trace view marks that record', async () => {
      await page.locator('#trace li[data-index="3"]').click();
      await page.click('#tamper');
      await page.locator('#trace [data-valid="false"]').waitFor(WAIT);
      expect('marked record', await page.locator('#trace li[data-tampered="true"]').getAttribute('data-index'), '3');
      if (!(await page.locator('#trace li[data-tampered="true"]').textContent()).includes('does not verify')) throw new Error('the mark is colour only');
      await screenshot(page, 'dashboard-tampered');
    });

    await checks.run('dashboard: the simulation steps one tick at a time and pauses', async () => {
      await page.selectOption('#scenario', 'agent-tools');
      await page.waitForFunction(() => window.__ceg.scenario.name === 'agent-tools' && window.__ceg.plan, null, WAIT);
      await page.click('#sim-step');
      await page.waitForFunction(() => window.__ceg.sim.ticks.length === 1, null, WAIT);
      await page.click('#sim-step');
      await page.waitForFunction(() => window.__ceg.sim.ticks.length === 2, null, WAIT);
      expect('not finished after two steps', await page.evaluate(() => window.__ceg.sim.done), false);
      await page.click('#sim-play');
      await page.click('#sim-pause');
      const n = await page.evaluate(() => window.__ceg.sim.ticks.length);
      await page.waitForTimeout(1500);
      expect('paused: no more ticks', await page.evaluate(() => window.__ceg.sim.ticks.length), n);
      await page.click('#sim-play');
      await page.waitForFunction(() => window.__ceg.sim.done && window.__ceg.sim.verification, null, { timeout: 120_000, polling: 200 });
      expect('agent run verifies', await page.evaluate(() => window.__ceg.sim.verification.valid), true);
    });

    await checks.run('dashboard: an invalid graph in the editor shows its structured error at the field', async () => {
      await page.click('.tab[data-tab="editor"]');
      const text = await page.inputValue('#editor-text');
      const req = JSON.parse(text);
      req.graph.nodes[2].kind = 'gadget';
      await page.fill('#editor-text', JSON.stringify(req, null, 2));
      await page.click('#editor-apply');
      await page.locator('#editor-error[data-path="graph.nodes[2].kind"]').waitFor(WAIT);
      expect('code', await page.locator('#editor-error').getAttribute('data-code'), 'INVALID_PARAMS');
      const line = await page.locator('#editor-error pre').textContent();
      if (!line.includes('"kind": "gadget"')) throw new Error(`the marked line is ${line}`);
      const sel = await page.evaluate(() => { const t = document.getElementById('editor-text'); return t.value.slice(t.selectionStart, t.selectionEnd); });
      if (!sel.includes('gadget')) throw new Error(`the selection is ${sel}`);
    });

    await checks.run('dashboard: invalid JSON in the editor shows a parse error with its line', async () => {
      const text = await page.inputValue('#editor-text');
      const broken = text.replace('"gadget"', '"resource"').replace('"contract": {', '"contract": {,');
      await page.fill('#editor-text', broken);
      await page.locator('#editor-text').press('Control+Enter');
      await page.locator('#editor-error[data-code="PARSE_ERROR"]').waitFor(WAIT);
      const want = broken.slice(0, broken.indexOf('"contract": {,')).split('\n').length;
      expect('line', await page.locator('#editor-error .line').getAttribute('data-line'), String(want));
    });

    await checks.run('dashboard: a valid edit applies and re-plans', async () => {
      const req = JSON.parse((await page.inputValue('#editor-text')).replace('"contract": {,', '"contract": {'));
      req.contract.forbiddenProviders = ['local'];
      await page.fill('#editor-text', JSON.stringify(req, null, 2));
      await page.click('#editor-apply');
      await page.locator('#editor-error[data-code="OK"]').waitFor(WAIT);
      expect('contract applied', JSON.stringify((await scenario()).request.contract.forbiddenProviders), '["local"]');
    });

    await checks.run('dashboard: save writes the scenario JSON and load reads it back', async () => {
      const [download] = await Promise.all([page.waitForEvent('download', WAIT), page.click('#save')]);
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ceg-scn-')), 'saved.json');
      await download.saveAs(file);
      const saved = JSON.parse(fs.readFileSync(file, 'utf8'));
      expect('saved name', saved.name, 'agent-tools');
      saved.name = 'saved-copy';
      saved.request.contract.constraints.maxCost = 0.0001;
      fs.writeFileSync(file, JSON.stringify(saved));
      await page.setInputFiles('#load', file);
      await page.waitForFunction(() => window.__ceg.scenario.name === 'saved-copy' && window.__ceg.plan && !window.__ceg.plan.feasible, null, WAIT);
      expect('picker shows it', await page.inputValue('#scenario'), 'saved-copy');
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    });

    await checks.run('dashboard: every control has a label and is reachable by keyboard', async () => {
      const unlabeled = await page.evaluate(() => [...document.querySelectorAll('input, select, textarea, button')]
        .filter((e) => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.textContent.trim())
        .map((e) => e.id || e.outerHTML.slice(0, 60)));
      expect('unlabeled controls', JSON.stringify(unlabeled), '[]');
      const negative = await page.evaluate(() => [...document.querySelectorAll('input, select, textarea, button')].filter((e) => e.tabIndex < 0).length);
      expect('controls out of the tab order', negative, 0);
      const nodes = await page.locator('#graph g.node').evaluateAll((els) => els.filter((e) => e.getAttribute('tabindex') !== '0').length);
      expect('graph nodes out of the tab order', nodes, 0);
    });

    checks.add('dashboard: no page errors, no failed requests', page.errors.length === 0, page.errors.join('\n'));
  } finally {
    await page.close();
  }
}
