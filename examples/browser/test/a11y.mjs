/*
 * a11y.mjs: accessible basics of the dashboard and the components at
 * 1280x800 — text contrast (WCAG 2 AA: 4.5:1, 3:1 for large text), the heat
 * colours under node text, the graph's text drawn at 9px or more (it
 * scrolls rather than shrink further), every control reachable with Tab,
 * and a name on every control and graph node, inside the components'
 * shadow roots too.
 *
 * The contrast audit runs in the page: for every rendered element with text
 * of its own (and every text field, select and enabled button) it takes the
 * computed text colour (`fill` for SVG text), composites the backgrounds of
 * its ancestors across shadow roots (for SVG text, the node shape's fill
 * behind it, or the white halo an edge label draws), applies opacity, and
 * computes the WCAG contrast ratio. Disabled controls are exempt, as WCAG
 * exempts inactive components. A colour it cannot read is a failure, not a
 * skip.
 */
import { expect, newPage, screenshot } from './harness.mjs';

const WAIT = { timeout: 60_000 };

/** auditContrast runs in the page; it returns the text that fails AA, with its colours. */
function auditContrast() {
  const parse = (c) => {
    const m = /^rgba?\(([^)]+)\)$/.exec(String(c).trim());
    if (!m) return null;
    const p = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
    return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
  };
  const over = (top, under) => ({
    r: top.r * top.a + under.r * (1 - top.a),
    g: top.g * top.a + under.g * (1 - top.a),
    b: top.b * top.a + under.b * (1 - top.a),
    a: 1,
  });
  const lum = (c) => {
    const ch = (v) => { const s = v / 255; return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * ch(c.r) + 0.7152 * ch(c.g) + 0.0722 * ch(c.b);
  };
  const ratio = (a, b) => { const x = lum(a); const y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
  const up = (e) => e.parentElement || (e.parentNode instanceof ShadowRoot ? e.parentNode.host : null);
  const hex = (c) => `#${[c.r, c.g, c.b].map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`;
  const where = (e) => {
    const parts = [];
    for (let x = e; x && parts.length < 5; x = up(x)) {
      parts.unshift(`${x.localName}${x.id ? `#${x.id}` : ''}${x.classList && x.classList.length ? `.${[...x.classList].join('.')}` : ''}`);
    }
    return parts.join(' > ');
  };
  const bad = [];
  const unreadable = (e, what, value) => bad.push({ where: where(e), text: (e.textContent || '').trim().slice(0, 40), detail: `cannot read ${what} ${value}` });
  /** background composites the backgrounds from e up to the root (the canvas is white). */
  const background = (e) => {
    const layers = [];
    for (let x = e; x; x = up(x)) {
      if (x instanceof SVGElement) continue; // SVG containers paint no background
      const c = parse(getComputedStyle(x).backgroundColor);
      if (!c) { unreadable(x, 'background', getComputedStyle(x).backgroundColor); return null; }
      if (c.a > 0) { layers.push(c); if (c.a >= 1) break; }
    }
    let out = { r: 255, g: 255, b: 255, a: 1 };
    for (const l of layers.reverse()) out = over(l, out);
    return out;
  };
  const opacity = (e) => {
    let o = 1;
    for (let x = e; x; x = up(x)) o *= Number(getComputedStyle(x).opacity);
    return o;
  };
  const rendered = (e) => {
    const cs = getComputedStyle(e);
    if (cs.visibility !== 'visible' || cs.display === 'none') return false;
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };
  const ownText = (e) => [...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
  const check = (e) => {
    const cs = getComputedStyle(e);
    const svgText = e instanceof SVGElement;
    const fg0 = parse(svgText ? cs.fill : cs.color);
    if (!fg0) { unreadable(e, 'colour', svgText ? cs.fill : cs.color); return; }
    let bg;
    if (svgText) {
      const shape = e.parentElement && e.parentElement.querySelector(':scope > .shape');
      const halo = parse(cs.stroke);
      if (shape) {
        const fill = parse(getComputedStyle(shape).fill);
        if (!fill) { unreadable(shape, 'fill', getComputedStyle(shape).fill); return; }
        const under = background(e.ownerSVGElement);
        if (!under) return;
        bg = over({ ...fill, a: fill.a * Number(getComputedStyle(shape).opacity) }, under);
      } else if (halo && halo.a >= 1 && parseFloat(cs.strokeWidth) >= 2 && cs.paintOrder.startsWith('stroke')) {
        bg = halo; // an edge label draws its own halo
      } else {
        bg = background(e.ownerSVGElement);
      }
    } else {
      bg = background(e);
    }
    if (!bg) return;
    const fg = over({ ...fg0, a: fg0.a * opacity(e) }, bg);
    const size = parseFloat(cs.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(cs.fontWeight) >= 700);
    const need = large ? 3 : 4.5;
    const got = ratio(fg, bg);
    if (got < need) {
      bad.push({ where: where(e), text: (e.value !== undefined && e.localName !== 'button' ? e.value : e.textContent || '').trim().slice(0, 40), detail: `${got.toFixed(2)}:1 < ${need}:1 (${hex(fg)} on ${hex(bg)}, ${size}px)` });
    }
  };
  const seen = new Set();
  const walk = (root) => {
    for (const e of root.querySelectorAll('*')) {
      if (e.shadowRoot) walk(e.shadowRoot);
      if (['title', 'style', 'script', 'option', 'template', 'desc'].includes(e.localName)) continue;
      const control = ['input', 'select', 'textarea', 'button'].includes(e.localName);
      if (control && (e.disabled || ['range', 'checkbox', 'radio', 'file', 'hidden'].includes(e.type))) {
        if (!(e.localName === 'input' && e.type === 'file')) continue;
      }
      if (!control && !ownText(e)) continue;
      if (!rendered(e) || seen.has(e)) continue;
      seen.add(e);
      check(e);
    }
  };
  walk(document);
  return { checked: seen.size, bad };
}

/** heatContrast returns the D values whose heat colour is too dark or light for the node text drawn on it. */
async function heatContrast(page) {
  return page.evaluate(async () => {
    const { heat } = await import('/bindings/js/components/index.mjs');
    const probe = document.createElement('div');
    document.body.append(probe);
    const rgb = (css) => { probe.style.color = css; return getComputedStyle(probe).color.match(/\d+(\.\d+)?/g).map(Number); };
    const lum = ([r, g, b]) => [r, g, b].map((v) => { const s = v / 255; return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; })
      .reduce((acc, v, i) => acc + v * [0.2126, 0.7152, 0.0722][i], 0);
    const ratio = (a, b) => { const x = lum(a); const y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
    // The colours <ceg-graph> draws node text in (its stylesheet), read from a node.
    const g = document.querySelector('ceg-graph');
    const texts = g ? [...g.shadowRoot.querySelectorAll('g.node text')].map((t) => getComputedStyle(t).fill) : [];
    const colours = [...new Set(texts)].map(rgb);
    const bad = [];
    for (let d = 0.1; d <= 5.0001; d += 0.1) {
      const fill = rgb(heat(d));
      for (const c of colours) {
        const r = ratio(c, fill);
        if (r < 4.5) bad.push(`D ${d.toFixed(1)}: ${r.toFixed(2)}:1 (${heat(d)})`);
      }
    }
    probe.remove();
    return { colours: colours.length, bad };
  });
}

function report(what, r) {
  if (r.checked === 0) throw new Error(`${what}: no text was checked`);
  if (r.bad.length) throw new Error(`${what}: ${r.bad.length} of ${r.checked} texts under WCAG AA:\n${r.bad.slice(0, 15).map((b) => `  ${b.where} "${b.text}": ${b.detail}`).join('\n')}`);
}

/**
 * tabThrough presses Tab until focus comes back round and returns the ids of
 * the elements it reached (data-id of graph nodes, data-resource of plan
 * buttons), through shadow roots.
 */
async function tabThrough(page, max) {
  await page.evaluate(() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); });
  const reached = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const key = await page.evaluate(() => {
      let e = document.activeElement;
      while (e && e.shadowRoot && e.shadowRoot.activeElement) e = e.shadowRoot.activeElement;
      if (!e || e === document.body) return '';
      if (e.id) return `#${e.id}`;
      if (e.dataset && e.dataset.id) return `node:${e.dataset.id}`;
      if (e.dataset && e.dataset.resource) return `res:${e.closest('[data-step]') ? e.closest('[data-step]').dataset.step : ''}:${e.dataset.resource}`;
      return `${e.localName}:${(e.textContent || '').trim().slice(0, 20)}`;
    });
    if (key && reached.includes(key)) break; // round the page once
    reached.push(key);
  }
  return reached.filter(Boolean);
}

/** a11y runs the accessibility checks on the dashboard and on the blank components page. */
export async function a11y(context, server, checks) {
  const page = await newPage(context);
  try {
    await page.goto(`${server.url}/examples/browser/index.html`, { waitUntil: 'load' });
    await page.waitForFunction(() => window.__ceg && window.__ceg.firstPlanMs !== null, null, { ...WAIT, polling: 100 });

    for (const name of ['chat-failover', 'agent-tools', 'infeasible-budget']) {
      await checks.run(`a11y: dashboard text contrast meets WCAG AA at 1280x800 (${name}, plan view)`, async () => {
        if ((await page.evaluate(() => window.__ceg.scenario.name)) !== name) {
          await page.selectOption('#scenario', name);
          await page.waitForFunction((n) => window.__ceg.scenario.name === n && window.__ceg.plan, name, WAIT);
        }
        await page.locator('#graph g.node').first().waitFor(WAIT);
        report(name, await page.evaluate(auditContrast));
      });
      await checks.run(`a11y: the graph's text is drawn at 9px or more at 1280x800 (${name})`, async () => {
        const r = await page.evaluate(() => {
          const svg = document.querySelector('#graph').shadowRoot.querySelector('svg.graph');
          const box = svg.getBoundingClientRect();
          const vb = svg.viewBox.baseVal;
          const scale = Math.min(box.width / vb.width, box.height / vb.height);
          const sizes = [...svg.querySelectorAll('text')].map((t) => parseFloat(getComputedStyle(t).fontSize));
          return { scale, smallest: Math.min(...sizes) * scale };
        });
        if (!(r.smallest >= 9)) throw new Error(`the smallest text is drawn at ${r.smallest.toFixed(1)}px (scale ${r.scale.toFixed(2)})`);
      });
    }

    await checks.run('a11y: text contrast of a what-if change, the simulation with a tampered trace and the editor error', async () => {
      await page.selectOption('#scenario', 'chat-failover');
      await page.waitForFunction(() => window.__ceg.scenario.name === 'chat-failover' && window.__ceg.plan, null, WAIT);
      const provider = await page.evaluate(() => window.__ceg.plan.steps[0].provider);
      await page.locator(`#health-${provider}`).focus();
      await page.keyboard.press('Home');
      await page.locator('#plan .changes [data-reason="RESOURCE_DOWN"]').waitFor(WAIT);
      report('after a what-if change', await page.evaluate(auditContrast));
      await page.click('.tab[data-tab="sim"]');
      await page.click('#sim-play');
      await page.waitForFunction(() => window.__ceg.sim && window.__ceg.sim.done && window.__ceg.sim.verification, null, { timeout: 120_000, polling: 200 });
      await page.locator('#trace li[data-index="2"]').click();
      await page.click('#tamper');
      await page.locator('#trace [data-valid="false"]').waitFor(WAIT);
      report('simulation with a tampered trace', await page.evaluate(auditContrast));
      await screenshot(page, 'a11y-simulation');
      await page.click('.tab[data-tab="editor"]');
      await page.fill('#editor-text', '{"graph": ');
      await page.click('#editor-apply');
      await page.locator('#editor-error[data-code="PARSE_ERROR"]').waitFor(WAIT);
      report('editor with an error', await page.evaluate(auditContrast));
      await page.click('#editor-revert');
      await page.click('.tab[data-tab="plan"]');
    });

    await checks.run('a11y: node text keeps 4.5:1 on every heat colour (D 0.1 to 5)', async () => {
      const r = await heatContrast(page);
      if (!r.colours) throw new Error('no node text colour found');
      if (r.bad.length) throw new Error(`node text on heat colours under 4.5:1: ${r.bad.join('; ')}`);
    });

    await checks.run('a11y: Tab reaches every control, graph node and plan button of the dashboard', async () => {
      await page.selectOption('#scenario', 'agent-tools');
      await page.waitForFunction(() => window.__ceg.scenario.name === 'agent-tools' && window.__ceg.plan, null, WAIT);
      const want = await page.evaluate(() => {
        const out = [];
        const visible = (e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility === 'visible';
        for (const e of document.querySelectorAll('input, select, textarea, button, a[href]')) {
          if (!e.disabled && visible(e) && !e.closest('[hidden]')) out.push(e.id ? `#${e.id}` : `${e.localName}:${e.textContent.trim().slice(0, 20)}`);
        }
        for (const g of document.querySelector('#graph').shadowRoot.querySelectorAll('g.node')) out.push(`node:${g.dataset.id}`);
        for (const b of document.querySelector('#plan').shadowRoot.querySelectorAll('button.res')) out.push(`res:${b.closest('[data-step]').dataset.step}:${b.dataset.resource}`);
        return out;
      });
      const reached = await tabThrough(page, want.length + 20);
      const missing = want.filter((k) => !reached.includes(k));
      if (missing.length) throw new Error(`Tab never reaches ${missing.length} of ${want.length}: ${missing.join(', ')}`);
    });

    await checks.run('a11y: every control, graph node and record has a name, inside the components too', async () => {
      const unnamed = await page.evaluate(() => {
        const out = [];
        const roots = [document];
        for (const el of document.querySelectorAll('ceg-graph, ceg-plan, ceg-trace')) roots.push(el.shadowRoot);
        for (const root of roots) {
          for (const e of root.querySelectorAll('input, select, textarea, button, [role=button], [tabindex="0"]')) {
            const name = (e.labels && e.labels.length) || e.getAttribute('aria-label') || e.getAttribute('aria-labelledby') || e.textContent.trim();
            if (!name) out.push(e.id || e.outerHTML.slice(0, 80));
          }
        }
        return out;
      });
      expect('controls without a name', JSON.stringify(unnamed), '[]');
    });
    checks.add('a11y: no page errors on the dashboard', page.errors.length === 0, page.errors.join('\n'));
  } finally {
    await page.close();
  }

  const blank = await newPage(context);
  try {
    await blank.goto(`${server.url}/examples/browser/test/blank.html`, { waitUntil: 'load' });
    await blank.waitForFunction(() => window.__embedded !== undefined, null, { ...WAIT, polling: 100 });
    await checks.run('a11y: the components on a blank page meet WCAG AA text contrast', async () => {
      await blank.locator('ceg-trace [data-valid="true"]').waitFor(WAIT);
      report('blank page', await blank.evaluate(auditContrast));
    });
    checks.add('a11y: no page errors on the blank page', blank.errors.length === 0, blank.errors.join('\n'));
  } finally {
    await blank.close();
  }
}
