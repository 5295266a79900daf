// What the page shows: the preparation's steps as small images, and the ladder, one panel ("rung") per model, each
// with why it answers what it does. Digits are drawn grey as in the book: ink dark on white.
import {argmax} from './ladder.mjs';

// The site's colours for the two digits (`mnist37.linear.COLOURS`, which the build puts in draw.json): `set_colours`
let COLOURS = {3: {name: '', rgb: [0, 0, 0]}, 7: {name: '', rgb: [0, 0, 0]}};
const rgb = hex => [1, 3, 5].map(i => parseInt(hex.slice(i, i + 2), 16));

/** The colours of draw.json (`{3: {name, hex}, 7: ...}`), before the panels are made. */
export function set_colours(colours) {
  COLOURS = Object.fromEntries([3, 7].map(d => [d, {name: colours[d].name, rgb: rgb(colours[d].hex)}]));
}

/** `values` (h*w numbers) on `canvas`, resized to h x w; `colour(v)` gives each pixel's [r, g, b]. */
export function paint(canvas, h, w, values, colour) {
  if (canvas.width !== w || canvas.height !== h) Object.assign(canvas, {width: w, height: h});
  const ctx = canvas.getContext('2d'), out = ctx.createImageData(w, h);
  for (let i = 0; i < h * w; i++) out.data.set([...colour(values[i]), 255], 4 * i);
  ctx.putImageData(out, 0, 0);
}

const grey = v => { const g = Math.round(255 * (1 - Math.min(1, Math.max(0, v)))); return [g, g, g]; };   // 1: black ink
const blank = canvas => paint(canvas, canvas.height, canvas.width, new Float32Array(canvas.height * canvas.width), grey);

/** A value in [-1, 1] between the colour of 7 (-1), white (0) and the colour of 3 (1), as the chapters' `cmap37`. */
export function diverging(t) {
  const c = (t > 0 ? COLOURS[3] : COLOURS[7]).rgb, a = Math.min(1, Math.abs(t));
  return c.map(v => Math.round(255 + (v - 255) * a));
}

/** The steps of `mnist_steps` (prepare.mjs) on the canvases `[data-step]`; all blank when there is no digit. */
export function show_steps(root, steps) {
  for (const canvas of root.querySelectorAll('canvas[data-step]')) {
    const s = steps && steps[canvas.dataset.step];
    if (!s) { blank(canvas); continue; }
    const px = s.px instanceof Uint8Array ? Float32Array.from(s.px, v => v / 255) : s.px;
    paint(canvas, s.h, s.w, px, grey);
  }
}

const el = (tag, props = {}, ...kids) => { const e = Object.assign(document.createElement(tag), props); e.append(...kids); return e; };
const canvas28 = label => el('canvas', {width: 28, height: 28, role: 'img', ariaLabel: label});
const fig = (label, caption) => el('figure', {}, canvas28(label), el('figcaption', {textContent: caption}));
const fmt = (v, d = 2) => v.toFixed(d);

/** Bars, one per class, with `data-digit` and (once filled) `data-p`: the CNNs' probabilities. */
function bars(classes, testid) {
  const list = el('ol', {className: 'draw-probs'});
  if (testid) list.dataset.testid = testid;
  for (const c of classes) {
    const li = el('li', {}, el('span', {className: 'draw-digit', textContent: c}),
                  el('span', {className: 'draw-bar'}, el('span')), el('span', {className: 'draw-pct'}));
    li.dataset.digit = c;
    list.append(li);
  }
  return list;
}

function show_bars(list, probs) {
  const best = probs ? argmax(probs) : -1;
  [...list.children].forEach((li, i) => {
    const p = probs ? probs[i] : 0;
    li.dataset.p = probs ? String(p) : '';
    li.classList.toggle('draw-best', i === best);
    li.querySelector('.draw-bar > span').style.width = `${(100 * p).toFixed(1)}%`;
    li.querySelector('.draw-pct').textContent = probs ? `${(100 * p).toFixed(p < 0.1 ? 1 : 0)}%` : '';
  });
}

// Each model's panel: `make()` builds what shows why, `fill(part, out)` shows a drawing's numbers (`out` null: blank),
// and returns the sentence under it.
const RUNGS = {
  pixel_similarity: {
    make: () => el('div', {className: 'rung-why'}, fig('The drawing minus the average 3', '− the average 3'),
                   fig('The drawing minus the average 7', '− the average 7')),
    fill(part, out) {
      const [c3, c7] = part.querySelectorAll('canvas');
      if (!out) { blank(c3); blank(c7); return ''; }
      paint(c3, 28, 28, out.differences.subarray(0, 784).map(Math.abs), grey);
      paint(c7, 28, 28, out.differences.subarray(784).map(Math.abs), grey);
      const [d3, d7] = out.distances;
      return `Distance to the average 3: ${fmt(d3, 3)}, to the average 7: ${fmt(d7, 3)}. Nearer the ${d3 < d7 ? 3 : 7}.`;
    },
  },
  linear: {
    make: () => el('div', {className: 'rung-why'}, fig('Each pixel times its weight', `pixel × weight: ${COLOURS[3].name} for 3, ${COLOURS[7].name} for 7`)),
    fill(part, out) {
      const c = part.querySelector('canvas');
      if (!out) { blank(c); return ''; }
      const m = Math.max(1e-9, ...Array.from(out.pixels, Math.abs));
      paint(c, 28, 28, out.pixels, v => diverging(Math.sign(v) * Math.sqrt(Math.abs(v) / m)));   // small pushes show too
      const [s, p] = [out.score[0], out.probability[0]];
      return `Score ${fmt(s)} (the sum, plus the bias); sigmoid ${fmt(p)}: ${p > 0.5 ? 'over 0.5, a 3' : 'not over 0.5, a 7'}.`;
    },
  },
  simple_net: {   // each hidden unit: its 784 weights as a picture (as the linear model's), and a bar: how strongly it fires
    make: () => {
      const units = el('div', {className: 'rung-why rung-units', role: 'img',
                               ariaLabel: 'The 30 hidden units: each one’s weights as a picture, and how strongly it fires'},
                       ...Array.from({length: 30}, () => el('span', {className: 'unit'}, el('canvas', {width: 28, height: 28}),
                                                            el('span', {className: 'unit-bar'}, el('span')))));
      units.dataset.testid = 'hidden-units';
      return units;
    },
    fill(part, out) {
      const box = part.querySelector('.rung-units'), units = box.querySelectorAll('.unit');
      if (out && !box.dataset.painted) {   // the weights are the model's, whatever is drawn: painted once, on one scale
        const m = Math.max(...Array.from(out.weights, Math.abs));
        units.forEach((u, i) => paint(u.querySelector('canvas'), 28, 28, out.weights.subarray(784 * i, 784 * (i + 1)), v => diverging(v / m)));
        box.dataset.painted = 'true';
      }
      const h = out ? out.hidden : new Float32Array(30), m = Math.max(1e-9, ...h);
      units.forEach((u, i) => {   // the bar: the activation, against the drawing's largest; faded: it does not fire
        u.querySelector('.unit-bar > span').style.width = `${(100 * Math.max(0, h[i]) / m).toFixed(1)}%`;
        u.classList.toggle('off', !(h[i] > 0)); u.title = fmt(h[i]); u.dataset.value = out ? String(h[i]) : '';
      });
      if (!out) return '';
      const [s, p] = [out.score[0], out.probability[0]], on = Array.from(h).filter(v => v > 0).length;
      return `${on} of 30 hidden units fire. Score ${fmt(s)}; sigmoid ${fmt(p)}: ${p > 0.5 ? 'a 3' : 'a 7'}.`;
    },
  },
  cnn_37: {
    make: () => el('div', {className: 'rung-why'}, bars([3, 7])),
    fill(part, out) { show_bars(part.querySelector('ol'), out && out.probabilities); return out ? 'Its two probabilities.' : ''; },
  },
  ten_digits: {
    make: () => el('div', {className: 'rung-why'}, bars([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 'probs')),
    fill(part, out) { show_bars(part.querySelector('ol'), out && out.probabilities); return out ? 'Its ten probabilities.' : ''; },
  },
};

/** The ladder's panels in `box` (`[data-testid=ladder]`), one per model of draw.json, with its hooks `data-model` and
 *  `data-answer`; on a small pad (`.draw-ladder-line`), one line of verdicts instead. */
export function make_ladder(box, ladder) {
  const line = box.classList.contains('draw-ladder-line');
  const parts = ladder.map(m => {
    const e = line ? el('span', {className: 'rung-short'})
      : el('article', {className: 'rung'},
           el('header', {}, el('h2', {}, el('a', {href: m.page, textContent: m.title})), el('span', {textContent: m.chapter})),
           RUNGS[m.name].make(), el('p', {className: 'rung-text'}),
           el('p', {className: 'rung-verdict'}, 'reads ', el('output')));
    Object.assign(e.dataset, {model: m.name, answer: '', short: m.short});
    return e;
  });
  box.replaceChildren(...(line ? parts.flatMap((e, i) => i ? [' · ', e] : [e]) : parts));   // the line: `baseline: 3 · ...`
  if (line) box.hidden = true;   // until there is a digit
}

/** One drawing's numbers and answers in the ladder's panels (`numbers` null: a blank pad). */
export function show_ladder(box, numbers, answers) {
  if (box.classList.contains('draw-ladder-line')) box.hidden = !numbers;
  for (const e of box.querySelectorAll('[data-model]')) {
    const name = e.dataset.model, answer = numbers ? String(answers[name]) : '';
    e.dataset.answer = answer;
    if (e.classList.contains('rung-short')) { e.textContent = answer ? `${e.dataset.short}: ${answer}` : ''; continue; }
    e.querySelector('.rung-text').textContent = RUNGS[name].fill(e, numbers && numbers[name]);
    e.querySelector('.rung-verdict output').textContent = answer || '–';
  }
}
