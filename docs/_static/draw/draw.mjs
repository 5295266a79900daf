// The "Draw a digit" page: a pad to draw on, the 28x28 image the model reads, and the ten-digit model's probabilities.
// Everything runs in the reader's browser: ONNX Runtime Web (its WebAssembly backend) runs the model that the site
// build exported to ONNX (docs/export_onnx.py); prepare.mjs prepares the drawing as Python's `predict` would.
import * as ort from './ort/ort.wasm-core.min.mjs';
import {open_digit, mnist_style} from './prepare.mjs';

const HERE = new URL('./', import.meta.url);
const PEN = 18;   // line width on the 280x280 pad: after scaling into 20x20, about MNIST's two-pixel strokes

// --- the model ---------------------------------------------------------------------------------------------

/** The ONNX model and draw.json (the page's rule for "not sure"; both written by the site build). */
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

/** What the page says, decided in this one place: nothing for a blank pad, `?` when the model is not sure
 *  (top probability below draw.json's `unsure_below`), otherwise the digit. */
function verdict(probs, settings) {
  if (probs === null) return {text: '', state: 'blank'};
  const best = probs.indexOf(Math.max(...probs)), digit = settings.classes[best];
  if (probs[best] < settings.unsure_below) return {text: '?', state: 'unsure', best, digit, p: probs[best]};
  return {text: String(digit), state: 'sure', best, digit, p: probs[best]};
}

/** RGBA pixels to `{image, probs, verdict}`: image is the uint8 28x28 the model reads (null for a blank picture). */
async function classify(model, rgba, w, h) {
  const image = mnist_style(open_digit(rgba, w, h));
  const probs = image && await run_model(model.session, image);
  return {image, probs, verdict: verdict(probs, model.settings)};
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

function show_bars(list, probs, v) {
  [...list.children].forEach((li, i) => {
    const p = probs ? probs[i] : 0;
    li.dataset.p = probs ? String(p) : '';
    li.classList.toggle('draw-best', i === v.best);
    li.querySelector('.draw-bar > span').style.width = `${(100 * p).toFixed(1)}%`;
    li.querySelector('.draw-pct').textContent = probs ? `${(100 * p).toFixed(p < 0.1 ? 1 : 0)}%` : '';
  });
}

function show_verdict(el, status, v) {
  el.textContent = v.text;
  el.dataset.state = v.state;
  status.textContent = {blank: 'Draw a digit in the box.', sure: `The model reads a ${v.digit}.`,
    unsure: `Not sure: perhaps a ${v.digit} (${Math.round(100 * v.p)}%).`}[v.state];
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

function page_elements(root) {
  const q = id => root.querySelector(`[data-testid="${id}"]`);
  return {pad: q('digit-pad'), clear: q('clear'), prediction: q('prediction'), probs: q('probs'),
          seen: root.querySelector('.draw-seen canvas'), status: root.querySelector('.draw-status')};
}

function pad_pixels(pad) { return pad.getContext('2d').getImageData(0, 0, pad.width, pad.height).data; }

/** The pad takes strokes at once; they are read as soon as the model has loaded, then after every change. */
async function start(root, loading) {
  const el = page_elements(root);
  const ready = loading.then(model => { make_bars(el.probs, model.settings.classes); return model; });
  let first = true;
  const failed = e => { el.status.textContent = `Something went wrong: ${e.message || e}`; console.error(e); };
  const update = make_updater(root, async () => {
    const model = await ready;
    const r = await classify(model, pad_pixels(el.pad), el.pad.width, el.pad.height);
    show_seen(el.seen, r.image); show_bars(el.probs, r.probs, r.verdict); show_verdict(el.prediction, el.status, r.verdict);
    if (first && r.verdict.state !== 'blank') { performance.mark('mnist37-draw:first-prediction'); first = false; }
  }, failed);
  make_pad(el.pad, update);
  el.clear.addEventListener('click', () => { clear_pad(el.pad); update(); });
  await ready;
  await update();
  root.dataset.ready = 'true';
  performance.mark('mnist37-draw:ready');
}

const root = document.querySelector('.mnist37-draw');
const loading = load_model();
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
