// The SGD explorer of chapter 2 (issue 23), where the notebook says <!-- mnist37:sgd-explorer --> (docs/website/assets.py).
// The chapter's 20 roller-coaster speeds and its random starting weights come from sgd.json, which the notebook
// (nbs/02_sgd_quadratic.ipynb) writes; each Step is one `apply_step` of the chapter: predict with `quadratic`, the
// `mse` loss, its gradient, and a step of every weight against it, scaled by the learning rate.
// Hooks for tests/test_explore.py: data-loss (the loss of the current weights), data-params, data-steps, data-lr.
import { svg, el, fmt, linePath, axes } from './plot.mjs';

export const quadratic = (t, [a, b, c]) => a*t*t + b*t + c;

export function mse(params, time, speed) {
  return time.reduce((s, t, i) => s + (quadratic(t, params) - speed[i])**2, 0) / time.length;
}

// The loss of `params` and its gradient: d/da mean((p-y)^2) = mean(2(p-y) t^2), and so on for b (t) and c (1)
export function lossAndGradient(params, time, speed) {
  const n = time.length, grad = [0, 0, 0];
  let loss = 0;
  time.forEach((t, i) => {
    const d = quadratic(t, params) - speed[i];
    loss += d*d / n;
    grad[0] += 2*d*t*t / n; grad[1] += 2*d*t / n; grad[2] += 2*d / n;
  });
  return [loss, grad];
}

// `apply_step`: the new weights, and the loss before the step
export function applyStep(params, time, speed, lr) {
  const [loss, grad] = lossAndGradient(params, time, speed);
  return [params.map((p, i) => p - lr*grad[i]), loss];
}

// The slider moves the learning rate's exponent, from 10^-7 to 10^-4 (divergence starts near 3.5e-5)
const LR_MIN = -7, LR_MAX = -4, LR_STEP = 0.05;
const lrOf = v => Number((10 ** Number(v)).toPrecision(2));
const TOO_BIG = 1e15;   // a loss above this has diverged: Run stops there

// The two plots, in SVG user units (they scale with the page's width)
const W = 360, H = 230, M = { l: 44, r: 10, t: 10, b: 34 }, FRAME = { W, H, M };
const T_MAX = 19, Y_MIN = -300, Y_MAX = 100;   // the chapter's `show_preds` limits

function drawFit(plot, time, speed, params) {
  const xs = t => M.l + (W - M.l - M.r) * t / T_MAX, ys = v => H - M.b - (H - M.t - M.b) * (v - Y_MIN) / (Y_MAX - Y_MIN);
  plot.replaceChildren();
  plot.append(svg('defs', {}, svg('clipPath', { id: 'sgd-clip' }, svg('rect', { x: M.l, y: M.t, width: W - M.l - M.r, height: H - M.t - M.b }))));
  axes(plot, FRAME, xs, ys, 'time (s)', 'speed', [0, 5, 10, 15], [-300, -200, -100, 0, 100]);
  const g = svg('g', { 'clip-path': 'url(#sgd-clip)' });
  const curve = Array.from({ length: 77 }, (_, i) => [xs(i/4), ys(quadratic(i/4, params))]);
  g.append(svg('path', { d: linePath(curve), class: 'fit' }));
  time.forEach((t, i) => g.append(svg('circle', { cx: xs(t), cy: ys(speed[i]), r: 3.2, class: 'data' }),
                                  svg('circle', { cx: xs(t), cy: ys(quadratic(t, params)), r: 2.6, class: 'pred' })));
  plot.append(g);
}

function drawLosses(plot, losses) {
  const finite = losses.filter(Number.isFinite);
  const lo = Math.floor(Math.log10(Math.min(...finite))), hi = Math.max(lo + 1, Math.ceil(Math.log10(Math.max(...finite))));
  const n = Math.max(10, losses.length - 1);
  const xs = k => M.l + (W - M.l - M.r) * k / n, ys = v => H - M.b - (H - M.t - M.b) * (Math.log10(v) - lo) / (hi - lo);
  plot.replaceChildren();
  const every = Math.ceil((hi - lo) / 6), yTicks = [];
  for (let e = lo; e <= hi; e += every) yTicks.push(10 ** e);
  const xEvery = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000].find(s => n / s <= 6) || 2000, xTicks = [];
  for (let k = 0; k <= n; k += xEvery) xTicks.push(k);
  axes(plot, FRAME, xs, ys, 'step', 'loss (log scale)', xTicks, yTicks, v => `1e${Math.round(Math.log10(v))}`);
  const pts = losses.map((l, k) => [xs(k), ys(l)]).filter(([, y]) => Number.isFinite(y));
  plot.append(svg('path', { d: linePath(pts), class: 'loss' }));
  if (pts.length <= 60) pts.forEach(([x, y]) => plot.append(svg('circle', { cx: x, cy: y, r: 2.2, class: 'loss-dot' })));
}

async function start(root) {
  const data = await (await fetch(new URL('sgd.json', import.meta.url))).json();
  const { time, speed } = data;
  let params = [...data.params], losses = [mse(params, time, speed)], timer = null;

  const slider = el('input', { type: 'range', min: LR_MIN, max: LR_MAX, step: LR_STEP, value: Math.log10(data.lr),
                               'aria-label': 'Learning rate (log scale)' });
  const lrOut = el('output', { class: 'explore-value' });
  const step = el('button', { type: 'button', 'data-testid': 'sgd-step' }, 'Step');
  const run = el('button', { type: 'button', 'data-testid': 'sgd-run' }, 'Run');
  const reset = el('button', { type: 'button', 'data-testid': 'sgd-reset' }, 'Reset');
  const readout = el('p', { class: 'explore-readout', 'aria-live': 'polite' });
  const fit = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': 'The 20 speeds and the parabola being fitted' });
  const lossPlot = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': 'The loss after each step' });
  root.replaceChildren(
    el('div', { class: 'explore-controls' },
       el('label', { class: 'explore-lr' }, 'Learning rate ', slider, ' ', lrOut), el('span', { class: 'explore-buttons' }, step, run, reset)),
    el('p', { class: 'explore-note' }, 'The learning rate goes from 10⁻⁷ to 10⁻⁴, on a log scale. Above about 3.5×10⁻⁵ ' +
       'each step overshoots: the weights swing further every time, and the loss grows.'),
    readout,
    el('div', { class: 'explore-plots' },
       el('figure', {}, fit, el('figcaption', {}, el('span', { class: 'key-data' }, '●'), ' the measured speeds, ',
                                                 el('span', { class: 'key-pred' }, '●'), ' the model’s predictions, and the parabola of the current weights')),
       el('figure', {}, lossPlot, el('figcaption', {}, 'The loss (mean squared error) of the weights after each step'))));

  const lr = () => lrOf(slider.value);
  function show() {
    const loss = losses[losses.length - 1], k = losses.length - 1;
    lrOut.textContent = fmt(lr());
    const gone = !Number.isFinite(loss) || loss > TOO_BIG;
    const nowrap = text => el('span', { class: 'explore-nowrap' }, text);
    readout.replaceChildren(`After ${k} step${k === 1 ? '' : 's'}: `, nowrap(`loss ${fmt(loss)}`), gone ? ', diverged. ' : '. ',
                            'Weights: ', nowrap(`a = ${fmt(params[0])},`), ' ', nowrap(`b = ${fmt(params[1])},`), ' ', nowrap(`c = ${fmt(params[2])}`));
    Object.assign(root.dataset, { loss: String(loss), params: JSON.stringify(params), steps: String(k), lr: String(lr()) });
    drawFit(fit, time, speed, params);
    drawLosses(lossPlot, losses);
    return gone;
  }
  function once() {
    [params] = applyStep(params, time, speed, lr());
    losses.push(mse(params, time, speed));
    return show();
  }
  function stop() { clearInterval(timer); timer = null; run.textContent = 'Run'; }
  step.addEventListener('click', () => { stop(); once(); });
  run.addEventListener('click', () => {
    if (timer) return stop();
    run.textContent = 'Pause';
    let left = 100;   // a run is 100 steps, 20 a second
    timer = setInterval(() => { if (once() || --left <= 0) stop(); }, 50);
  });
  reset.addEventListener('click', () => { stop(); params = [...data.params]; losses = [mse(params, time, speed)]; show(); });
  slider.addEventListener('input', show);
  show();
  root.dataset.ready = 'true';
}

const root = document.querySelector('[data-testid="sgd-explorer"]');
if (root) start(root).catch(e => {
  root.dataset.ready = 'error';
  root.replaceChildren(el('p', { class: 'explore-status' }, `The explorer could not start: ${e.message}`));
});
