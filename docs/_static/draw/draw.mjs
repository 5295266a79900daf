// The "Draw a digit" page: a pad to draw on, the 28x28 image the model reads, and the ten-digit model's probabilities.
// Everything runs in the reader's browser: ONNX Runtime Web (its WebAssembly backend) runs the model that the site
// build exported to ONNX (`mnist37.predict.export_onnx`, called by docs/draw_page.py); prepare.mjs prepares the
// drawing as Python's `predict` would, and unsure.mjs says, by Python's own rule, when not to be sure of the answer.
import * as ort from './ort/ort.wasm-core.min.mjs';
import {open_digit, mnist_style, Blank} from './prepare.mjs';
import {unsure_reason} from './unsure.mjs';

const HERE = new URL('./', import.meta.url);
const PEN = 18;   // line width on the 280x280 pad: after scaling into 20x20, about MNIST's two-pixel strokes

// --- the model ---------------------------------------------------------------------------------------------

/** The ONNX model and draw.json (the digit of each output, and `mnist37.predict.UNSURE`; both written by the build). */
async function load_model() {
  ort.env.wasm.wasmPaths = new URL('ort/', HERE).href;
  ort.env.wasm.numThreads = 1;   // threads need cross-origin isolation, which a static site (GitHub Pages) cannot ask for
  // ONNX Runtime 1.18 loads ort-wasm-simd.wasm, or ort-wasm.wasm where the browser has no wasm SIMD;
  // `draw.html?simd=off` forces the latter, as `ort.env.wasm.simd = false` does
  if (new URLSearchParams(location.search).get('simd') === 'off') ort.env.wasm.simd = false;
  const settings = fetch(new URL('draw.json', HERE)).then(r => r.json());
  const session = ort.InferenceSession.create(new URL('model.onnx', HERE).href, {executionProviders: ['wasm']});
  return {settings: await settings, session: await session};
}

/** Python's `net(x).softmax(1)`, which torch computes in float32; here in double (they agree to about 1e-7). */
function softmax(logits) {
  const m = Math.max(...logits), e = Array.from(logits, v => Math.exp(v - m)), s = e.reduce((a, b) => a + b, 0);
  return e.map(v => v / s);
}

/** Probabilities of the ten digits for a uint8 28x28 image; the input is uint8/255, as Python's `predict` gives it. */
async function run_model(session, image) {
  const x = new ort.Tensor('float32', Float32Array.from(image.px, v => v / 255), [1, 1, 28, 28]);
  const out = await session.run({[session.inputNames[0]]: x});
  return softmax(out[session.outputNames[0]].data);
}

/** Python's `_read` then `_answer`, on RGBA pixels: `{image, probs, best, digit, sure, reason}`. image is the uint8
 *  28x28 the model reads; a blank picture (Python's `Blank`) gives image, probs and digit null, sure false, and its
 *  message as the reason. `sure` and `reason` come from `unsure_reason` with Python's `UNSURE` (draw.json). */
async function classify(model, rgba, w, h) {
  let image;
  try { image = mnist_style(open_digit(rgba, w, h)); }
  catch (e) {
    if (e instanceof Blank) return {image: null, probs: null, best: null, digit: null, sure: false, reason: e.message};
    throw e;
  }
  const probs = await run_model(model.session, image);
  const best = probs.indexOf(Math.max(...probs)), reason = unsure_reason(image, probs, model.settings.unsure);
  return {image, probs, best, digit: model.settings.classes[best], sure: reason === null, reason};
}

// --- the pad -------------------------------------------------------------------------------------------------

function clear_pad(canvas) {
  const ctx = canvas.getContext('2d', {willReadFrequently: true});
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
}

/** A pointer event's position in the canvas's own pixels (the canvas is scaled by CSS); outside it when the
 *  pointer is: the canvas clips what falls off its edge. */
function pad_point(canvas, e) {
  const r = canvas.getBoundingClientRect();
  return [(e.clientX - r.left) * canvas.width / r.width, (e.clientY - r.top) * canvas.height / r.height];
}

/** Mouse, pen and touch drawing on `canvas` (Pointer Events); `changed()` after every piece of stroke. */
function make_pad(canvas, changed) {
  const ctx = canvas.getContext('2d', {willReadFrequently: true});
  let last = null;
  const line = (e) => {
    const p = pad_point(canvas, e);
    ctx.beginPath(); ctx.moveTo(...(last || p)); ctx.lineTo(...p); ctx.stroke();
    last = p;
  };
  canvas.addEventListener('pointerdown', e => {
    canvas.setPointerCapture(e.pointerId);   // the stroke goes on when the pointer leaves the pad, and is clipped
    Object.assign(ctx, {lineWidth: PEN, lineCap: 'round', lineJoin: 'round', strokeStyle: '#000'});
    last = null; line(e); changed(); e.preventDefault();
  });
  canvas.addEventListener('pointermove', e => {
    if (last === null) return;
    for (const c of e.getCoalescedEvents ? e.getCoalescedEvents() : [e]) line(c);
    changed();
  });
  for (const t of ['pointerup', 'pointercancel']) canvas.addEventListener(t, () => { last = null; });
  clear_pad(canvas);
}

// --- what the page shows ---------------------------------------------------------------------------------

/** The 28x28 image, white ink on black as in MNIST, on the small canvas (scaled up by CSS, pixels kept square). */
function show_seen(canvas, image) {
  const ctx = canvas.getContext('2d'), out = ctx.createImageData(28, 28);
  for (let i = 0; i < 784; i++) {
    const v = image ? image.px[i] : 0;
    out.data.set([v, v, v, 255], 4 * i);
  }
  ctx.putImageData(out, 0, 0);
}

/** Ten bars, one per digit, built once; `data-p` holds each probability for tests. */
function make_bars(list, classes) {
  list.replaceChildren(...classes.map(c => {
    const li = document.createElement('li');
    li.dataset.digit = c;
    li.innerHTML = `<span class="draw-digit">${c}</span><span class="draw-bar"><span></span></span>`
                 + '<span class="draw-pct"></span>';
    return li;
  }));
}

function show_bars(list, probs, best) {
  [...list.children].forEach((li, i) => {
    const p = probs ? probs[i] : 0;
    li.dataset.p = probs ? String(p) : '';
    li.classList.toggle('draw-best', i === best);
    li.querySelector('.draw-bar > span').style.width = `${(100 * p).toFixed(1)}%`;
    li.querySelector('.draw-pct').textContent = probs ? `${(100 * p).toFixed(p < 0.1 ? 1 : 0)}%` : '';
  });
}

/** Why the page is not sure, in words for someone drawing, by the first word of Python's reason (`UNSURE`'s checks). */
const WHY = {
  'blank': () => 'the strokes are too faint or too thin to survive shrinking to 28×28.',
  'too much ink': u => `over ${Math.round(100 * u.max_ink)}% of the 28×28 image is ink. Draw lines; don't fill in.`,
  'scattered': () => 'the ink is in many small pieces. Draw the digit in connected strokes.',
  'side by side': () => 'two marks side by side: two digits? Draw one digit at a time.',
  'flat': u => `it is over ${u.max_flatness} times as wide as it is tall: a dash? Digits are taller than they are wide.`,
  'unsure model': u => `no digit gets ${Math.round(100 * u.min_confidence)}% from the model.`,
};

/** The big character (the digit; `?` when not sure; nothing for a blank pad), the sentence under it, and Python's
 *  reason as `mnist37 predict` gives it. */
function show_verdict(el, r, u) {
  const state = r.digit === null ? 'blank' : r.sure ? 'sure' : 'unsure';
  el.prediction.textContent = {blank: '', sure: String(r.digit), unsure: '?'}[state];
  el.prediction.dataset.state = state;
  const guess = r.digit === null ? '' : ` Its best guess: ${r.digit} (${Math.round(100 * r.probs[r.best])}%).`;
  el.status.textContent = state === 'blank' ? 'Draw a digit in the box.' : state === 'sure' ? `The model reads a ${r.digit}.`
    : `Not sure: ${(WHY[r.reason.split(':')[0]] || (() => r.reason))(u)}${guess}`;
  el.reason.textContent = state === 'unsure' ? r.reason : '';
}

// --- the page ----------------------------------------------------------------------------------------------

/** Prediction after each change, one at a time: changes made while the model runs are read by the next run.
 *  `data-busy` on the page's root is set until the model has read the latest change (tests wait for it). */
function make_updater(root, step, failed) {
  let running = false, again = false;
  const update = async () => {
    root.dataset.busy = 'true';
    if (running) { again = true; return; }
    running = true; again = false;
    try { await step(); } catch (e) { failed(e); } finally { running = false; }
    if (again) requestAnimationFrame(update); else delete root.dataset.busy;
  };
  return update;
}

/** The page's parts; the probability bars and the 28x28 image are left out of the home page's small pad. */
function page_elements(root) {
  const q = id => root.querySelector(`[data-testid="${id}"]`);
  return {pad: q('digit-pad'), clear: q('clear'), prediction: q('prediction'), probs: q('probs'),
          reason: q('reason'), seen: root.querySelector('.draw-seen canvas'), status: root.querySelector('.draw-status')};
}

function pad_pixels(pad) { return pad.getContext('2d').getImageData(0, 0, pad.width, pad.height).data; }

/** The pad takes strokes at once; they are read as soon as the model has loaded, then after every change. */
async function start(root, loading) {
  const el = page_elements(root);
  const ready = loading.then(model => { if (el.probs) make_bars(el.probs, model.settings.classes); return model; });
  let first = true;
  const failed = e => { el.status.textContent = `Something went wrong: ${e.message || e}`; console.error(e); };
  const update = make_updater(root, async () => {
    const model = await ready;
    const r = await classify(model, pad_pixels(el.pad), el.pad.width, el.pad.height);
    if (el.seen) show_seen(el.seen, r.image);
    if (el.probs) show_bars(el.probs, r.probs, r.best);
    show_verdict(el, r, model.settings.unsure);
    if (first && r.digit !== null) { performance.mark('mnist37-draw:first-prediction'); first = false; }
  }, failed);
  make_pad(el.pad, update);
  el.clear.addEventListener('click', () => { clear_pad(el.pad); update(); });
  await ready;
  await update();
  root.dataset.ready = 'true';
  performance.mark('mnist37-draw:ready');
}

/** The model loads at once; with `data-load="on-draw"` (a small pad on another page), when the pad is first touched:
 *  nothing big is fetched for readers who only pass by. */
function when_wanted(root) {
  if (root.dataset.load !== 'on-draw') return load_model();
  return new Promise(resolve => root.querySelector('[data-testid="digit-pad"]').addEventListener('pointerdown', () => {
    root.querySelector('.draw-status').textContent = 'Loading the model…';
    resolve(load_model());
  }, {once: true}));
}

const root = document.querySelector('.mnist37-draw');
const loading = when_wanted(root);
loading.catch(e => {
  root.querySelector('.draw-status').textContent = `The model could not be loaded here: ${e.message || e}`;
  root.dataset.ready = 'error';
});
start(root, loading).catch(() => {});   // a model that does not load is reported just above

// For tests and the curious: the page's own preparation and model, on any RGBA pixels.
window.mnist37Draw = {
  ready: loading,
  classify: async (rgba, w, h) => {
    const r = await classify(await loading, rgba, w, h);
    return {...r, image: r.image && Array.from(r.image.px)};
  },
};
