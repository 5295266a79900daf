// What the train explorer (train.mjs) draws: weights as pictures in the site's colours of 3 and 7, the loss and the
// accuracy as curves, and one digit's loss and accuracy against its prediction.
import { svg, fmt, linePath, axes } from './plot.mjs';

const FRAME = { W: 320, H: 200, M: { l: 44, r: 10, t: 10, b: 34 } };
// Numbers from evidence of a 7 (negative) through 0 (white) to evidence of a 3 (positive), in the site's colours
export function colourOf(colours) {
  const rgb = h => [1, 3, 5].map(i => parseInt(h.slice(i, i + 2), 16)), c3 = rgb(colours['3']), c7 = rgb(colours['7']);
  return t => (t >= 0 ? c3 : c7).map(c => Math.round(255 + (c - 255) * Math.min(1, Math.abs(t))));
}

// Each unit's 784 numbers as a 28x28 tile, `cols` tiles a row, all on one scale (the largest number is full colour)
export function drawTiles(canvas, values, units, colour) {
  const cols = units === 1 ? 1 : 6, rows = Math.ceil(units / cols);
  canvas.width = cols * 29 - 1; canvas.height = rows * 29 - 1;
  const ctx = canvas.getContext('2d'), im = ctx.createImageData(canvas.width, canvas.height);
  im.data.fill(255);
  let m = 0;
  for (const v of values) m = Math.max(m, Math.abs(v));
  for (let i = 0; i < 784; i++) for (let u = 0; u < units; u++) {
    const x = (u % cols) * 29 + (i % 28), y = Math.floor(u / cols) * 29 + Math.floor(i / 28);
    im.data.set([...colour(m ? values[i * units + u] / m : 0), 255], 4 * (y * canvas.width + x));
  }
  ctx.putImageData(im, 0, 0);
  return m;
}

// A plot of `lines` (each `[points, class]`) from x = `xMin` to `xMax`; `dots`: a dot on each point of the first line
function curve(plot, lines, { xlab, ylab, xMin = 0, xMax, yMin, yMax, yTicks, dots }) {
  const { W, H, M } = FRAME;
  const xs = x => M.l + (W - M.l - M.r) * (x - xMin) / (xMax - xMin), ys = y => H - M.b - (H - M.t - M.b) * (y - yMin) / (yMax - yMin);
  const xEvery = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000].find(s => (xMax - xMin) / s <= 5) || 10000, xTicks = [];
  for (let k = Math.ceil(xMin / xEvery) * xEvery; k <= xMax; k += xEvery) xTicks.push(k);
  plot.replaceChildren();
  axes(plot, FRAME, xs, ys, xlab, ylab, xTicks, yTicks, v => fmt(v, 2));
  lines.forEach(([pts, cls], i) => {
    const xy = pts.map(([x, y]) => [xs(x), ys(Math.max(yMin, Math.min(yMax, y)))]);
    if (xy.length > 1) plot.append(svg('path', { d: linePath(xy), class: cls }));
    if (dots && !i) xy.forEach(([cx, cy]) => plot.append(svg('circle', { cx, cy, r: 2.6, class: 'dot' })));
  });
  return [xs, ys];
}

// The loss of each batch; past 400 batches, the mean of each run of batches, so that the curve stays readable
export function lossCurve(plot, losses) {
  const every = Math.ceil(losses.length / 400), pts = [];
  for (let i = 0; i < losses.length; i += every) {
    const run = losses.slice(i, i + every);
    pts.push([i + run.length, run.reduce((a, b) => a + b, 0) / run.length]);
  }
  const most = losses.reduce((a, b) => Math.max(a, b), 0), top = [0.5, 0.75, 1].find(t => t >= most) || 1;   // never above 1
  curve(plot, [[pts, 'line']], { xlab: 'step (one batch)', ylab: 'loss', xMax: Math.max(20, losses.length), yMin: 0,
                     yMax: top, yTicks: [0, 0.25, 0.5, 0.75, 1].filter(v => v <= top) });
}

export function accuracyCurve(plot, accs) {
  const lo = Math.min(0.9, Math.floor(Math.min(...accs.map(a => a[1])) * 10) / 10);
  curve(plot, [[accs, 'line']], { xlab: 'epoch', ylab: 'validation accuracy', xMax: Math.max(5, accs.length - 1), yMin: lo, yMax: 1,
                      yTicks: lo < 0.9 ? [lo, (lo + 1) / 2, 1].map(v => Math.round(v * 100) / 100) : [0.9, 0.95, 1], dots: true });
}


// For one 3, its loss (1 - sigmoid(z)) and whether it is read right (z above 0) against its prediction z, a dot at `z`
export const Z_LIMIT = 6;
export function dragPlot(plot, z) {
  z = Math.max(-Z_LIMIT, Math.min(Z_LIMIT, z));   // a prediction beyond the plot: its dot at the edge
  const zs = Array.from({ length: 121 }, (_, i) => -Z_LIMIT + i / 10);
  const loss = zs.map(x => [x, 1 - 1 / (1 + Math.exp(-x))]);
  const right = [[-Z_LIMIT, 0], [0, 0], [0, 1], [Z_LIMIT, 1]];
  const [xs, ys] = curve(plot, [[loss, 'line'], [right, 'step']], { xlab: 'its prediction', ylab: 'loss, accuracy',
    xMin: -Z_LIMIT, xMax: Z_LIMIT, yMin: 0, yMax: 1, yTicks: [0, 0.5, 1] });
  plot.append(svg('circle', { cx: xs(z), cy: ys(1 - 1 / (1 + Math.exp(-z))), r: 4, class: 'dot' }),
              svg('circle', { cx: xs(z), cy: ys(z > 0 ? 1 : 0), r: 4, class: 'step-dot' }));
}
