// The sign-up form demo: load the compiled agreement once (agreement.lgc,
// what `leadgate compile` writes: no parsing or checking in the page), then
// score the lead the form describes on every keystroke, in the browser.
// It runs on the form runtime (pkg/: loadCompiled and the scoring calls,
// 113 KB gzipped). The step-by-step explanation is the web build's
// (pkg/web/, with `explain`): fetched the first time the visitor opens it,
// so a visitor who never does never downloads it.
//
// ?asOf=2026-11-23 fixes the evaluation instant (the tests use it); by
// default it is now.
import init, { loadCompiled } from './pkg/leadgate_wasm.js';

const AGREEMENT_URL = 'agreements/b2b-saas-inbound.lgc';
const EXPLAINER_URL = './pkg/web/leadgate_wasm.js';
// Form controls that are not lead data, on purpose.
const NOT_LEAD_DATA = new Set(['name']);

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const asOfParam = params.get('asOf');

let agreement;
let asOf;
// The compiled agreement's bytes, for the explainer.
let compiled;
// The same agreement in the web build, once the explanation was opened.
let explainer = null;
let explainerLoading = null;
const timings = [];

function asOfInstant() {
  if (asOfParam) {
    const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(asOfParam) ? `${asOfParam}T00:00:00Z` : asOfParam);
    if (!Number.isNaN(d.getTime())) return d;
  }
  return new Date();
}

/** The lead, keyed by the agreement's input keys, from the form as it is now. */
export function leadFromForm(form, at) {
  const data = new FormData(form);
  const lead = { lead_id: 'web-form' };
  for (const [key, value] of data.entries()) {
    if (NOT_LEAD_DATA.has(key) || key === 'interests') continue;
    lead[key] = value;
  }
  lead.interests = data.getAll('interests');
  // "A live demo" is the demo request; the visitor is active right now.
  lead.demo_requested = data.get('form_type') === 'demo';
  lead.last_activity = at.toISOString();
  return lead;
}

function text(el, value) {
  el.textContent = value;
}

function duration(seconds) {
  if (seconds == null) return 'none agreed';
  if (seconds <= 3600) return 'within the hour';
  if (seconds < 86400) return `within ${Math.round(seconds / 3600)} hours`;
  if (seconds === 86400) return 'within a day';
  return `within ${Math.round(seconds / 86400)} days`;
}

const QUEUE_NAMES = {
  strategic: 'strategic-accounts team', emea: 'EMEA sales desk', amer: 'Americas sales desk',
  apac: 'APAC sales desk', global: 'sales team', pql: 'product specialists', inside: 'inside-sales team',
  callbox: 'onboarding team', 'trial-success': 'trial-success team',
};

/** What the visitor is promised, from the route. */
function promise(d) {
  const team = QUEUE_NAMES[d.queue] ?? 'team';
  switch (d.route) {
    case 'sales':
      return `A specialist from our ${team} will call you ${duration(d.follow_up_within_s)}.`;
    case 'telemarketing':
      return `Someone from our ${team} will call you ${duration(d.follow_up_within_s)} to get you set up.`;
    default:
      return d.queue === 'trial-success'
        ? 'Your trial is ready: here is our self-serve onboarding guide.'
        : 'Thanks! Here is our self-serve guide to get started — we will keep you posted.';
  }
}

function listItems(ul, items) {
  ul.replaceChildren(
    ...items.map((content) => {
      const li = document.createElement('li');
      li.textContent = content;
      return li;
    }),
  );
}

function show(d, lead, micros) {
  $('lead-json').textContent = JSON.stringify(lead, null, 2);
  $('status').hidden = true;
  if ('error' in d) {
    $('decision').hidden = true;
    $('rejected').hidden = false;
    const where = d.error.field ? `${d.error.field}: ` : '';
    text($('rejected'), `We can't route this yet — ${where}${d.error.message}.`);
  } else {
    $('rejected').hidden = true;
    $('decision').hidden = false;
    $('decision').dataset.route = d.route;
    text($('promise'), promise(d));
    text($('route'), d.route);
    text($('queue'), d.queue ?? '—');
    text($('rule'), d.rule ?? '—');
    text($('follow-up'), d.follow_up_within_s == null ? '—' : `${d.follow_up_within_s} s (${duration(d.follow_up_within_s)})`);
    const rows = Object.entries(d.scores).map(([name, value]) => {
      const tr = document.createElement('tr');
      const th = document.createElement('th');
      th.scope = 'row';
      th.textContent = name;
      const td = document.createElement('td');
      td.textContent = String(value);
      td.dataset.score = name;
      const bar = document.createElement('td');
      const meter = document.createElement('meter');
      Object.assign(meter, { min: 0, max: 100, value });
      meter.setAttribute('aria-label', `${name}: ${value} of 100`);
      bar.append(meter);
      tr.append(th, td, bar);
      return tr;
    });
    $('scores').tBodies[0].replaceChildren(...rows);
    text($('total'), String(d.total));
    text($('grades'), Object.entries(d.grades).map(([g, label]) => `${g}: ${label}`).join(' · '));
    listItems($('fired'), d.fired.map((f) => `${f.points > 0 ? '+' : ''}${f.points} ${f.rule} (${f.score})`));
    $('unknown-block').hidden = d.unknown.length === 0;
    listItems($('unknown'), d.unknown.map((u) => `${u.rule} (${u.score}) — needs ${u.missing.join(', ')}`));
    listItems($('warnings'), d.warnings.map((w) => `${w.field}: ${w.message}`));
  }
  timings.push(micros);
  const sorted = [...timings].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  // performance.now() is coarsened (to 0.1 ms in Chromium): shown in ms.
  text($('timing'), `Scored in your browser in ${(micros / 1000).toFixed(1)} ms (median ${(median / 1000).toFixed(1)} ms over ${timings.length} updates).`);
}

function update() {
  const form = $('signup');
  const lead = leadFromForm(form, asOf);
  const t0 = performance.now();
  const json = agreement.scoreJson(lead, { asOf });
  const micros = (performance.now() - t0) * 1000;
  $('decision-json').textContent = json;
  show(JSON.parse(json), lead, micros);
  explain(lead);
}

/**
 * The core's explanation of `lead` (the same text on every front), while
 * the explanation is open and once the explainer is loaded. A failure
 * there is shown there: the decision above stands.
 */
function explain(lead) {
  const out = $('explanation');
  if (!explainer || !$('explanation-block').open) return;
  try {
    out.textContent = explainer.explain(lead, { asOf }).text;
    out.dataset.ready = 'true';
  } catch (e) {
    out.textContent = `The explanation failed: ${e.message}`;
    out.dataset.ready = 'error';
  }
}

/** Loads the web build and the agreement into it, the first time the explanation is opened (again after a failure). */
function loadExplainer() {
  if (explainerLoading) return;
  const out = $('explanation');
  out.textContent = 'Loading the explanation…';
  explainerLoading = import(EXPLAINER_URL)
    .then(async (full) => {
      await full.default();
      explainer = full.loadCompiled(compiled);
      explain(leadFromForm($('signup'), asOf));
    })
    .catch((e) => {
      out.textContent = `The explanation could not be loaded (${e.message}); close and open it to try again.`;
      out.dataset.ready = 'error';
      explainerLoading = null;
    });
}

/** Which declared fields the form collects, checked against fields(). */
function coverage(form) {
  const declared = agreement.fields();
  const keys = new Set(declared.map((f) => f.key));
  // Keys the form can send: its controls' names, and what leadFromForm adds.
  const sent = new Set(['lead_id', 'demo_requested', 'last_activity']);
  for (const el of form.elements) if (el.name && !NOT_LEAD_DATA.has(el.name)) sent.add(el.name);
  const stray = [...sent].filter((k) => !keys.has(k));
  if (stray.length) console.warn('form keys the agreement does not declare:', stray);
  const collected = declared.filter((f) => sent.has(f.key));
  const rest = declared.filter((f) => !sent.has(f.key)).map((f) => f.name);
  text(
    $('form-coverage'),
    `This form fills ${collected.length} of the agreement's ${declared.length} fields; ` +
      `the rest (${rest.join(', ')}) come later from the CRM and the product.`,
  );
}

/** Per-lead scoring time, for the docs: `n` leads like the current one. */
window.leadgateBench = (n = 2000) => {
  const lead = leadFromForm($('signup'), asOf);
  const leads = Array.from({ length: n }, (_, i) => ({ ...lead, lead_id: `bench-${i}` }));
  for (let i = 0; i < 200; i++) agreement.score(leads[i % n], { asOf }); // warm up
  let t0 = performance.now();
  for (const l of leads) agreement.score(l, { asOf });
  const single = ((performance.now() - t0) * 1000) / n;
  t0 = performance.now();
  agreement.scoreMany(leads, { asOf });
  const batch = ((performance.now() - t0) * 1000) / n;
  return { leads: n, scoreMicrosPerLead: single, scoreManyMicrosPerLead: batch };
};

async function main() {
  try {
    const t0 = performance.now();
    // The module and the compiled agreement are fetched at once (index.html
    // asks for both early, with preload links).
    const bytes = fetch(AGREEMENT_URL).then((response) => {
      if (!response.ok) throw new Error(`${AGREEMENT_URL}: ${response.status} ${response.statusText}`);
      return response.arrayBuffer();
    });
    await init();
    const moduleMs = performance.now() - t0;
    compiled = await bytes;
    agreement = loadCompiled(compiled);
    asOf = asOfInstant();
    const loadMs = performance.now() - t0;
    const form = $('signup');
    form.addEventListener('input', update);
    form.addEventListener('change', update);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      update();
    });
    coverage(form);
    $('explanation-block').addEventListener('toggle', (e) => {
      if (!e.target.open) return;
      if (explainer) explain(leadFromForm(form, asOf));
      else loadExplainer();
    });
    update();
    // Since navigation start: when this script started, the first decision
    // shown; and how long the module and the agreement took to load (the
    // end-to-end test records them).
    window.leadgateTiming = { scriptStartMs: t0, moduleMs, readyMs: loadMs, firstDecisionMs: performance.now() };
    document.body.dataset.ready = 'true';
    console.info(`leadgate: agreement "${agreement.name}" ${agreement.version ?? ''} ready in ${loadMs.toFixed(0)} ms`);
  } catch (e) {
    text($('status'), `The scoring engine could not start: ${e.message}`);
    document.body.dataset.ready = 'error';
    throw e;
  }
}

main();
