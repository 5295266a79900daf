// The softmax and cross-entropy explorer of chapter 7 (issue 23), where the notebook says
// <!-- mnist37:softmax-explorer --> (docs/website/assets.py). It starts from softmax.json, which the site's build writes: the
// shipped ten-digit model's ten logits for a real MNIST test digit. Softmax as the chapter writes it,
// `acts.exp() / acts.exp().sum()`, and the loss as `-log` of the target's probability (`F.cross_entropy` for one image).
// Hooks for tests/test_explore.py: data-logits, data-exps, data-probs, data-target, data-loss; in the two-class part,
// data-x, data-softmax, data-sigmoid.
import { el, fmt, digitCanvas } from './plot.mjs';

export const softmax = logits => { const e = logits.map(Math.exp), s = e.reduce((a, b) => a + b, 0); return e.map(v => v / s); };
export const sigmoid = x => 1 / (1 + Math.exp(-x));
const LIMIT = 40;   // logits stay within ±40: exp(40) is 2×10¹⁷, far from overflowing
const round2 = v => Math.round(v * 100) / 100;

function tenClasses(root, data) {
  const start = data.logits.map(round2);
  let logits = [...start], target = data.classes.indexOf(data.label);
  const inputs = [], expCells = [], pCells = [], radios = [], rows = [];
  const sumExp = el('td', { class: 'num' }), sumP = el('td', { class: 'num' });
  const lossLine = el('p', { class: 'explore-readout', 'aria-live': 'polite' });
  const body = el('tbody');
  data.classes.forEach((d, i) => {
    const radio = el('input', { type: 'radio', name: 'softmax-target', value: i, 'aria-label': `target: ${d}` });
    const input = el('input', { type: 'number', step: '0.1', min: -LIMIT, max: LIMIT, value: start[i], 'aria-label': `logit of ${d}` });
    radio.addEventListener('change', () => { target = i; show(); });
    input.addEventListener('input', () => {
      const v = Number(input.value);
      if (input.value.trim() !== '' && Number.isFinite(v)) { logits[i] = Math.max(-LIMIT, Math.min(LIMIT, v)); show(); }
    });
    inputs.push(input); radios.push(radio); expCells.push(el('td', { class: 'num' })); pCells.push(el('td', { class: 'num prob' }));
    rows.push(el('tr', {}, el('th', { scope: 'row' }, el('label', {}, radio, ` ${d}`)), el('td', {}, input), expCells[i], pCells[i]));
    body.append(rows[i]);
  });
  const reset = el('button', { type: 'button', 'data-testid': 'softmax-reset' }, 'Back to the model’s logits');
  reset.addEventListener('click', () => { logits = [...start]; start.forEach((v, i) => { inputs[i].value = v; }); show(); });

  function show() {
    const exps = logits.map(Math.exp), s = exps.reduce((a, b) => a + b, 0), probs = exps.map(v => v / s);
    exps.forEach((e, i) => {
      expCells[i].textContent = fmt(e, 4);
      pCells[i].textContent = fmt(probs[i], 4);
      pCells[i].style.setProperty('--p', `${(100 * probs[i]).toFixed(2)}%`);
      rows[i].classList.toggle('target', i === target);
      radios[i].checked = i === target;
    });
    sumExp.textContent = fmt(s, 4);
    sumP.textContent = '1';
    const loss = -Math.log(probs[target]);
    lossLine.replaceChildren('Target ', el('strong', {}, String(data.classes[target])), `: its probability is ${fmt(probs[target], 4)}, so the loss is −log(${fmt(probs[target], 4)}) = `,
                             el('strong', {}, fmt(loss, 4)), '. Pick another target (the round buttons), or change the logits, and watch the loss.');
    Object.assign(root.dataset, { logits: JSON.stringify(logits), exps: JSON.stringify(exps), probs: JSON.stringify(probs),
                                  target: String(data.classes[target]), loss: String(loss) });
  }

  const picture = el('figure', { class: 'explore-digit' }, digitCanvas(data.pixels, 'The test digit the logits are for'),
    el('figcaption', {}, `${data.index ? `Number ${data.index + 1}` : 'The first'} of MNIST’s test ${data.label}s (`,
       el('code', {}, data.source), '). ',
       'The ten-digit model’s logits for it (its outputs before softmax), to two decimals, fill the table: change any of them.'));
  const table = el('table', { class: 'explore-table' },
    el('thead', {}, el('tr', {}, el('th', {}, 'digit'), el('th', {}, 'logit'), el('th', {}, 'exp(logit)'), el('th', {}, 'exp ÷ sum'))),
    body, el('tfoot', {}, el('tr', {}, el('th', { scope: 'row', colspan: 2 }, 'sum'), sumExp, sumP)));
  show();
  const how = el('p', { class: 'explore-note' }, 'Each probability is its exp divided by the sum of the ten: they are all ' +
    'positive and add up to 1. The loss is −log of the target’s probability: what F.cross_entropy gives for this one image.');
  return [picture, how, el('div', { class: 'explore-scroll' }, table), lossLine, el('p', { class: 'explore-buttons' }, reset)];
}

// Two classes: the logits (x, 0). Softmax gives the first e^x / (e^x + e^0), which is sigmoid(x) = 1 / (1 + e^-x).
function twoClasses(root) {
  const box = el('div', { class: 'explore-two', 'data-testid': 'two-class' });
  const slider = el('input', { type: 'range', min: -8, max: 8, step: 0.1, value: 1, 'aria-label': 'The first logit, x' });
  const xOut = el('output', { class: 'explore-value' }), lines = el('div', { class: 'explore-readout', 'aria-live': 'polite' });
  function show() {
    const x = Number(slider.value), [p, q] = softmax([x, 0]), s = sigmoid(x);
    xOut.textContent = fmt(x, 3);
    lines.replaceChildren(
      el('p', {}, `softmax(x, 0) = (eˣ, e⁰) ÷ (eˣ + e⁰) = (${fmt(Math.exp(x), 4)}, 1) ÷ ${fmt(Math.exp(x) + 1, 4)} = (`, el('strong', {}, fmt(p, 4)), `, ${fmt(q, 4)})`),
      el('p', {}, `sigmoid(x) = 1 ÷ (1 + e⁻ˣ) = 1 ÷ ${fmt(1 + Math.exp(-x), 4)} = `, el('strong', {}, fmt(s, 4))));
    Object.assign(box.dataset, { x: String(x), softmax: JSON.stringify([p, q]), sigmoid: String(s) });
  }
  slider.addEventListener('input', show);
  box.append(el('h3', {}, 'Two classes: sigmoid is softmax with one logit at 0'),
             el('p', {}, 'With two classes and the second logit fixed at 0, softmax gives the first class eˣ ÷ (eˣ + 1), which is 1 ÷ (1 + e⁻ˣ): the sigmoid the 3-vs-7 models used, on one output.'),
             el('label', { class: 'explore-lr' }, 'x ', slider, ' ', xOut), lines);
  show();
  return box;
}

async function start(root) {
  const data = await (await fetch(new URL('softmax.json', import.meta.url))).json();
  if (data.problem) throw new Error(data.problem);
  root.replaceChildren(...tenClasses(root, data), twoClasses(root));
  root.dataset.ready = 'true';
}

const root = document.querySelector('[data-testid="softmax-explorer"]');
if (root) start(root).catch(e => {
  root.dataset.ready = 'error';
  root.replaceChildren(el('p', { class: 'explore-status' }, `The explorer could not start: ${e.message}`));
});
