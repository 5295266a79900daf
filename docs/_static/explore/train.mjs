// The train explorer of chapter 3 (issue 30), where the notebook says <!-- mnist37:train-explorer -->
// (docs/website/assets.py): chapter 3's linear model or chapter 5's simple net, trained in the reader's browser by the
// chapter's loop (train_loop.mjs) on 4,000 of MNIST_SAMPLE's training 3s and 7s, judged on its whole validation set.
// Its digits and the chapters' random starts (train37.json, then train37.bin.gz, which the site's build writes) are
// fetched only once it scrolls into view.
// Hooks for tests/test_train_explorer.py: data-steps, data-loss, data-accuracy, data-epoch-ms on the explorer, and its
// `trainState()` (the start, every batch so far, the parameters now); data-z, data-loss, data-accuracy on
// [data-testid=drag-prediction].
import { el, svg, fmt, digitCanvas } from './plot.mjs';
import { initModel, sparseDigits, step, accuracy, epochBatches, random, predict } from './train_loop.mjs';
import { colourOf, drawTiles, lossCurve, accuracyCurve, dragPlot, Z_LIMIT } from './train_view.mjs';

const SEED = 42;                            // every Reset: the chapter's start, and the same order of digits
const LR = { min: -3, max: 2, start: 0 };   // the slider moves the learning rate's exponent: 0.001 to 100, from 1
const BATCH_SIZES = [16, 64, 256, 1024];
const pct = a => `${(100 * a).toFixed(1)}%`;

async function load() {
  const info = await (await fetch(new URL('train37.json', import.meta.url))).json();
  if (info.problem) throw new Error(info.problem);
  const res = await fetch(new URL(info.file, import.meta.url));
  if (!res.ok) throw new Error(`${info.file}: HTTP ${res.status}`);
  const bytes = new Uint8Array(await new Response(res.body.pipeThrough(new DecompressionStream('gzip'))).arrayBuffer());
  const c = info.counts, nTrain = c['train/3'] + c['train/7'], nValid = c['valid/3'] + c['valid/7'];
  const is3 = (n3, n) => Uint8Array.from({ length: n }, (_, i) => (i < n3 ? 1 : 0));
  const floats = new Float32Array(bytes.slice((nTrain + nValid) * 784).buffer), starts = {};
  let at = 0;
  for (const [m, sizes] of Object.entries(info.starts)) {
    starts[m] = {};
    for (const [k, n] of Object.entries(sizes)) { starts[m][k] = floats.subarray(at, at + n); at += n; }
  }
  return { info, nTrain, starts, train: sparseDigits(bytes.subarray(0, nTrain * 784), nTrain), trainIs3: is3(c['train/3'], nTrain),
           valid: sparseDigits(bytes.subarray(nTrain * 784), nValid), validIs3: is3(c['valid/3'], nValid),
           first3: bytes.subarray(nTrain * 784, (nTrain + 1) * 784) };
}

function controls() {
  const option = (value, text) => el('option', { value }, text);
  const c = {
    model: el('select', { 'data-testid': 'train-model' }, option('linear', 'linear model (chapter 3)'), option('simple_net', 'simple net (chapter 5)')),
    bs: el('select', { 'data-testid': 'train-bs' }, ...BATCH_SIZES.map(b => option(b, String(b)))),
    lr: el('input', { type: 'range', min: LR.min, max: LR.max, step: 0.1, value: LR.start, 'data-testid': 'train-lr',
                      'aria-label': 'Learning rate (log scale)' }),
    lrOut: el('output', { class: 'explore-value' }),
    step: el('button', { type: 'button', 'data-testid': 'train-step' }, 'Step'),
    epoch: el('button', { type: 'button', 'data-testid': 'train-epoch' }, 'Epoch'),
    run: el('button', { type: 'button', 'data-testid': 'train-run' }, 'Run'),
    reset: el('button', { type: 'button', 'data-testid': 'train-reset' }, 'Reset'),
    change: el('input', { type: 'checkbox', checked: '', 'data-testid': 'train-change' }),
    readout: el('p', { class: 'explore-readout', 'aria-live': 'polite' }),
    weights: el('canvas', { 'data-testid': 'train-weights', role: 'img' }),
    weightsCaption: el('figcaption', {}),
    loss: svg('svg', { viewBox: '0 0 320 200', role: 'img', 'aria-label': 'The loss of each batch, step by step' }),
    accuracy: svg('svg', { viewBox: '0 0 320 200', role: 'img', 'aria-label': 'The validation accuracy after each epoch' }),
    z: el('input', { type: 'range', min: -Z_LIMIT, max: Z_LIMIT, step: 0.01, value: 0, 'aria-label': 'The prediction for this 3' }),
    zModel: el('span', {}),
    zOut: el('p', { class: 'explore-readout', 'aria-live': 'polite' }),
    zPlot: svg('svg', { viewBox: '0 0 320 200', role: 'img', 'aria-label': 'This 3’s loss, a smooth curve, and its accuracy, a step at 0, against its prediction' }),
  };
  c.bs.value = '256';
  return c;
}

// The chapter's loop, step by step: `reset(model)`, then `step(lr, bs)`, one batch at a time; an epoch's order is drawn
// when the last one ends (so a new batch size counts from the next epoch)
function trainer(d) {
  const t = {};
  t.reset = name => {
    t.model = initModel(name, d.starts[name]);
    t.start = d.starts[name];
    Object.assign(t, { rand: random(SEED), batches: [], next: 0, epoch: 0, losses: [], history: [] });
    t.accs = [[0, accuracy(t.model, d.valid, d.validIs3)]];
  };
  t.step = (lr, bs) => {
    if (t.next === t.batches.length) { t.batches = epochBatches(d.nTrain, bs, t.rand); t.next = 0; }
    const batch = t.batches[t.next++];
    t.losses.push(step(t.model, d.train, d.trainIs3, batch, lr));
    t.history.push(batch);
    if (t.next === t.batches.length) t.accs.push([++t.epoch, accuracy(t.model, d.valid, d.validIs3)]);
  };
  t.epochEnd = () => t.next === t.batches.length;
  return t;
}

function layout(root, c, d) {
  const label = (text, input) => el('label', {}, text, ' ', input);
  root.replaceChildren(
    el('div', { class: 'explore-controls' }, label('Model', c.model), label('Batch size', c.bs),
       el('label', { class: 'explore-lr' }, 'Learning rate ', c.lr, ' ', c.lrOut),
       el('span', { class: 'explore-buttons' }, c.step, c.epoch, c.run, c.reset)),
    el('p', { class: 'explore-note' }, `Step trains on one batch of the ${d.nTrain.toLocaleString('en')} training digits; Epoch goes ` +
       'on to the end of the epoch; Reset starts again from the chapter’s random weights. The learning rate goes from 0.001 to 100; ' +
       'a new batch size counts from the next epoch; another model starts again.'),
    c.readout,
    el('div', { class: 'explore-plots' },
       el('figure', { class: 'train-weights' }, c.weights, c.weightsCaption, el('label', { class: 'explore-note' }, c.change, ' only what training changed')),
       el('figure', {}, c.loss, el('figcaption', {}, 'The loss of each batch, before its step')),
       el('figure', {}, c.accuracy, el('figcaption', {}, `Accuracy on the ${d.valid.n.toLocaleString('en')} validation digits, after each epoch`))),
    el('div', { class: 'train-drag', 'data-testid': 'drag-prediction' },
       el('h3', {}, 'Why the loss is not the accuracy'),
       el('div', { class: 'train-drag-row' }, digitCanvas(d.first3, 'The first 3 of the validation set'),
          el('label', { class: 'explore-lr' }, c.zModel, ' Drag it: ', c.z)),
       c.zOut, el('figure', {}, c.zPlot, el('figcaption', {}, 'The solid curve: this 3’s loss, 1 − sigmoid(prediction). ' +
         'The dashed steps: its accuracy, 1 once the prediction is above 0.'))));
}

function showWeights(c, t, colour) {
  const H = t.model.hidden || 1, p = t.model.params, w = H > 1 ? p.w1 : p.weights, w0 = H > 1 ? t.start.w1 : t.start.weights;
  const values = c.change.checked ? w.map((v, i) => v - w0[i]) : w;
  const m = drawTiles(c.weights, values, H, colour);
  const what = H > 1 ? 'Each of the 30 units’ 784 weights' : 'The 784 weights';
  const colours = H > 1 ? 'ink on red raises the unit, on blue lowers it' : 'red for ink that says 3, blue for 7';
  c.weightsCaption.textContent = m ? `${what}${c.change.checked ? ', minus where they started' : ''}: ${colours}, full ` +
    `colour at ±${fmt(m, 3)}.` : `${what}, minus where they started: nothing has changed yet.`;
  c.weights.setAttribute('aria-label', `${what} as 28 by 28 pictures in red and blue`);
}

function showDrag(c, box, z) {
  const p = 1 / (1 + Math.exp(-z)), loss = 1 - p, right = z > 0 ? 1 : 0;
  c.zOut.replaceChildren(`Prediction ${fmt(z, 3)}, sigmoid ${fmt(p, 3)}: its loss, 1 − sigmoid, is `, el('strong', {}, fmt(loss, 3)),
    `; it is read as a ${right ? 3 : 7}, so its accuracy is `, el('strong', {}, String(right)),
    '. The loss moves with every change of the prediction; the accuracy only when it crosses 0, so only the loss has a slope to follow.');
  dragPlot(c.zPlot, z);
  Object.assign(box.dataset, { z: String(z), loss: String(loss), accuracy: String(right) });
}

async function start(root) {
  const d = await load(), c = controls(), t = trainer(d), colour = colourOf(d.info.colours);
  layout(root, c, d);
  const box = root.querySelector('[data-testid="drag-prediction"]'), h = () => new Float64Array(t.model.hidden);
  const lr = () => Number((10 ** Number(c.lr.value)).toPrecision(2)), bs = () => Number(c.bs.value);
  let running = false;
  function show() {
    const n = t.losses.length, acc = accuracy(t.model, d.valid, d.validIs3);
    c.lrOut.textContent = fmt(lr(), 2);
    c.readout.textContent = n ? `After ${n} step${n > 1 ? 's' : ''} (epoch ${t.epoch + (t.epochEnd() ? 0 : 1)}, batch ${t.next} ` +
      `of ${t.batches.length}): the last batch’s loss ${fmt(t.losses[n - 1], 4)}; validation accuracy ${pct(acc)}.`
      : `Random weights, before any step: validation accuracy ${pct(acc)}.`;
    Object.assign(root.dataset, { steps: String(n), loss: String(n ? t.losses[n - 1] : NaN), accuracy: String(acc), lr: String(lr()) });
    showWeights(c, t, colour);
    lossCurve(c.loss, t.losses);
    accuracyCurve(c.accuracy, t.accs);
    const z = predict(t.model, d.valid, 0, h());
    c.zModel.textContent = `The model’s prediction for this 3 is ${fmt(z, 3)}${Math.abs(z) > Z_LIMIT ? ` (the slider stops at ±${Z_LIMIT})` : ''}.`;
    c.z.value = String(Math.max(-Z_LIMIT, Math.min(Z_LIMIT, z)));
    showDrag(c, box, z);   // the model's own prediction, until the slider is dragged
  }
  function pause() { running = false; c.run.textContent = 'Run'; }
  function frame() {
    if (!running) return;
    t.step(lr(), bs());   // one batch a frame, about 60 a second: slow enough to watch
    show();
    requestAnimationFrame(frame);
  }
  c.step.addEventListener('click', () => { pause(); t.step(lr(), bs()); show(); });
  c.epoch.addEventListener('click', () => {
    pause();
    const t0 = performance.now();
    do t.step(lr(), bs()); while (!t.epochEnd());
    root.dataset.epochMs = String(performance.now() - t0);
    show();
  });
  c.run.addEventListener('click', () => {
    if (running) return pause();
    running = true; c.run.textContent = 'Pause';
    requestAnimationFrame(frame);
  });
  const reset = () => { pause(); t.reset(c.model.value); show(); };
  c.reset.addEventListener('click', reset);
  c.model.addEventListener('change', reset);
  c.lr.addEventListener('input', () => { c.lrOut.textContent = fmt(lr(), 2); root.dataset.lr = String(lr()); });
  c.change.addEventListener('change', () => showWeights(c, t, colour));
  c.z.addEventListener('input', () => showDrag(c, box, Number(c.z.value)));
  root.trainState = () => ({ model: t.model.name, lr: lr(), start: Object.fromEntries(Object.entries(t.start).map(([k, v]) => [k, [...v]])),
    batches: t.history, losses: t.losses, params: Object.fromEntries(Object.entries(t.model.params).map(([k, v]) => [k, [...v]])) });
  t.reset(c.model.value);
  show();
  root.dataset.ready = 'true';
}

// Its digits only once the reader comes near it, so that the chapter's page stays light
const root = document.querySelector('[data-testid="train-explorer"]');
if (root) {
  const begin = () => start(root).catch(e => {
    root.dataset.ready = 'error';
    root.replaceChildren(el('p', { class: 'explore-status' }, `The explorer could not start: ${e.message}`));
  });
  root.querySelector('.explore-status').textContent = 'The training explorer fetches its digits (about 1 MB) when you scroll to it.';
  if (!('IntersectionObserver' in window)) begin();
  else {
    const seen = new IntersectionObserver(es => { if (es.some(e => e.isIntersecting)) { seen.disconnect(); begin(); } }, { rootMargin: '200px' });
    seen.observe(root);
  }
}
