// The "Draw a digit" page: a pad to draw on, the preparation's steps, and every model of the chapter reading the
// drawing side by side (the ladder). Everything runs in the reader's browser: prepare.mjs prepares the drawing as
// Python's `predict` would, ladder.mjs runs the five models in ONNX Runtime Web, unsure.mjs says, by Python's own rule,
// when not to be sure of the ten-digit model's answer, and panels.mjs shows it all.
import {open_digit, mnist_steps, Blank} from './prepare.mjs';
import {unsure_reason} from './unsure.mjs';
import {load_ladder, run_ladder, ladder_answer, argmax} from './ladder.mjs';
import {show_steps, make_ladder, show_ladder, set_colours} from './panels.mjs';
import {make_maps, show_maps} from './inside.mjs';

const an = d => `${d === 8 ? 'an' : 'a'} ${d}`;   // a 7, an 8

const PEN = 18;   // line width on the 280x280 pad: after scaling into 20x20, about MNIST's two-pixel strokes

/** Python's `_read` then `_answer` for the ten-digit model, and the ladder, on RGBA pixels: `{steps, image, numbers,
 *  answers, probs, best, digit, sure, reason}`. image is the uint8 28x28 the models read; a blank picture (Python's
 *  `Blank`) gives steps, image, numbers, probs and digit null, sure false, and its message as the reason. */
async function classify(models, rgba, w, h) {
  let steps;
  try { steps = mnist_steps(open_digit(rgba, w, h)); }
  catch (e) {
    if (!(e instanceof Blank)) throw e;
    return {steps: null, image: null, numbers: null, answers: null, probs: null, best: null, digit: null, sure: false,
            reason: e.message};
  }
  const {settings} = models, numbers = await run_ladder(models, steps.image);
  const answers = Object.fromEntries(settings.ladder.map(m => [m.name, ladder_answer(m.name, numbers[m.name], settings.classes)]));
  const probs = numbers.ten_digits.probabilities, best = argmax(probs);
  const reason = unsure_reason(steps.image, probs, settings.unsure);
  return {steps, image: steps.image, numbers, answers, probs, best, digit: settings.classes[best], sure: reason === null, reason};
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

/** Write a digit's `strokes` (`[[x, y], ...]`, 0 to 1, y down) on the pad, 60% of its height, centred, with the pad's
 *  pen: the buttons under the pad, for a reader with a keyboard or a screen reader rather than a pointer. */
function write_digit(canvas, strokes) {
  clear_pad(canvas);
  const ctx = canvas.getContext('2d', {willReadFrequently: true}), size = 0.6 * canvas.height;
  Object.assign(ctx, {lineWidth: PEN, lineCap: 'round', lineJoin: 'round', strokeStyle: '#000'});
  const at = ([x, y]) => [canvas.width / 2 + (x - 0.5) * size, canvas.height / 2 + (y - 0.5) * size];
  for (const [first, ...rest] of strokes) {
    ctx.beginPath(); ctx.moveTo(...at(first));
    for (const p of rest) ctx.lineTo(...at(p));
    ctx.stroke();
  }
}

// --- the verdict -----------------------------------------------------------------------------------------------

/** Why the page is not sure, in words for someone drawing, by the first word of Python's reason (`UNSURE`'s checks). */
const WHY = {
  'blank': () => 'the strokes are too faint or too thin to survive shrinking to 28×28.',
  'too much ink': u => `over ${Math.round(100 * u.max_ink)}% of the 28×28 image is ink. Draw lines; don't fill in.`,
  'scattered': () => 'the ink is in many small pieces. Draw the digit in connected strokes.',
  'side by side': () => 'two marks side by side: two digits? Draw one digit at a time.',
  'flat': u => `it is over ${u.max_flatness} times as wide as it is tall: a dash? Digits are taller than they are wide.`,
  'unsure model': u => `to the model this looks like none of the ten digits: none gets ${Math.round(100 * u.min_confidence)}%.`,
};

/** The big character (the ten-digit model's digit; `?` when not sure; nothing for a blank pad), the sentence under it,
 *  and Python's reason as `mnist37 predict` gives it. */
function show_verdict(el, r, u) {
  const state = r.digit === null ? 'blank' : r.sure ? 'sure' : 'unsure';
  el.prediction.textContent = {blank: '', sure: String(r.digit), unsure: '?'}[state];
  el.prediction.dataset.state = state;
  const guess = r.digit === null ? '' : ` Its best guess: ${r.digit} (${Math.round(100 * r.probs[r.best])}%).`;
  el.status.textContent = state === 'blank' ? 'Draw a digit in the box.' : state === 'sure' ? `The model reads ${an(r.digit)}.`
    : `Not sure: ${(WHY[r.reason.split(':')[0]] || (() => r.reason))(u)}${guess}`;
  el.reason.textContent = state === 'unsure' ? r.reason : '';
}

/** Under the ladder: the 3-vs-7 models only know 3 and 7, which the reader is told when the ten-digit model reads
 *  something else (a teaching moment, not an error). */
function show_note(note, r) {
  if (!note) return;
  const other = r.digit !== null && r.digit !== 3 && r.digit !== 7;
  note.hidden = !other;
  note.textContent = other ? `The ten-digit model reads ${an(r.digit)}${r.sure ? '' : ' (not sure)'}. The four models before `
    + 'it were trained on 3s and 7s only: whatever you draw, they answer 3 or 7. A model answers the question it was '
    + 'trained on.' : '';
}

// --- the page ----------------------------------------------------------------------------------------------

/** Prediction after each change, one at a time: changes made while the models run are read by the next run.
 *  `data-busy` on the page's root is set until the models have read the latest change (tests wait for it). */
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

/** The page's parts; the steps, the ladder's panels and the feature maps are left out of the home page's small pad (a
 *  line of verdicts instead). */
function page_elements(root) {
  const q = id => root.querySelector(`[data-testid="${id}"]`);
  return {pad: q('digit-pad'), clear: q('clear'), prediction: q('prediction'), ladder: q('ladder'), reason: q('reason'),
          maps: q('feature-maps'),
          steps: root.querySelector('.draw-steps'), note: root.querySelector('.ladder-note'),
          status: root.querySelector('.draw-status')};
}

function pad_pixels(pad) { return pad.getContext('2d').getImageData(0, 0, pad.width, pad.height).data; }

/** The pad takes strokes at once; they are read as soon as the models have loaded, then after every change. */
async function start(root, loading) {
  const el = page_elements(root);
  const ready = loading.then(models => {
    set_colours(models.settings.colours);
    if (el.ladder) make_ladder(el.ladder, models.settings.ladder);
    if (el.maps) make_maps(el.maps, models.settings.maps);
    return models;
  });
  let first = true;
  const failed = e => { el.status.textContent = `Something went wrong: ${e.message || e}`; console.error(e); };
  const update = make_updater(root, async () => {
    const models = await ready;
    const r = await classify(models, pad_pixels(el.pad), el.pad.width, el.pad.height);
    if (el.steps) show_steps(el.steps, r.steps);
    if (el.ladder) show_ladder(el.ladder, r.numbers, r.answers);
    if (el.maps) show_maps(el.maps, r.numbers && r.numbers.ten_digits);
    show_verdict(el, r, models.settings.unsure);
    show_note(el.note, r);
    if (first && r.digit !== null) { performance.mark('mnist37-draw:first-prediction'); first = false; }
  }, failed);
  make_pad(el.pad, update);
  el.clear.addEventListener('click', () => { clear_pad(el.pad); update(); });
  for (const b of root.querySelectorAll('[data-digit]')) b.addEventListener('click', async () => {
    root.dataset.busy = 'true';   // at once: the models may still be loading
    write_digit(el.pad, (await ready).settings.examples[b.dataset.digit]); update();
  });
  await ready;
  await update();
  root.dataset.ready = 'true';
  performance.mark('mnist37-draw:ready');
}

/** Resolves once the page has loaded and the browser is idle: the page is drawn before anything big is fetched. */
function after_first_paint() {
  return new Promise(resolve => {
    const idle = () => (window.requestIdleCallback ? requestIdleCallback(() => resolve(), {timeout: 1000}) : setTimeout(resolve));
    if (document.readyState === 'complete') idle(); else addEventListener('load', idle, {once: true});
  });
}

/** The models load once the page is shown; with `data-load="on-draw"` (a small pad on another page), when the pad is
 *  first touched: nothing big is fetched for readers who only pass by (the runtime comes with the first stroke). */
function when_wanted(root) {
  if (root.dataset.load !== 'on-draw') return after_first_paint().then(load_ladder);
  return new Promise(resolve => root.querySelector('[data-testid="digit-pad"]').addEventListener('pointerdown', () => {
    root.querySelector('.draw-status').textContent = 'Loading the models…';
    resolve(load_ladder());
  }, {once: true}));
}

const root = document.querySelector('.mnist37-draw');
const loading = when_wanted(root);
loading.catch(e => {
  root.querySelector('.draw-status').textContent = `The models could not be loaded here: ${e.message || e}`;
  root.dataset.ready = 'error';
});
start(root, loading).catch(() => {});   // models that do not load are reported just above

// For tests and the curious: the page's own preparation and models, on any RGBA pixels.
window.mnist37Draw = {
  ready: loading,
  classify: async (rgba, w, h) => {
    const {steps, numbers, ...r} = await classify(await loading, rgba, w, h);
    const plain = numbers && Object.fromEntries(Object.entries(numbers).map(([m, out]) =>
      [m, Object.fromEntries(Object.entries(out).map(([o, v]) => [o, Array.from(v)]))]));
    return {...r, image: r.image && Array.from(r.image.px), probs: r.probs && Array.from(r.probs), numbers: plain};
  },
};
