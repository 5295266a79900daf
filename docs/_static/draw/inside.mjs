// Inside the ten-digit CNN, for the reader's drawing (issue 30): its feature maps after each of its six convolutions,
// as CNN Explainer shows a CNN's, from the outputs `mnist37.ladder.Maps` gives the ONNX model the ladder already runs
// (so the maps are PyTorch's, within float rounding: tests/test_ladder.py). The simple net's units are in panels.mjs.
import {paint} from './panels.mjs';

const el = (tag, props = {}, ...kids) => { const e = Object.assign(document.createElement(tag), props); e.append(...kids); return e; };
const GAP = [209, 213, 218];   // between two maps: the site's border grey

/** The maps of a layer of `c` maps `h` x `w` side by side (two rows for 64 or more): `[rows, cols]`. */
export const grid = (c) => (c < 64 ? [1, c] : [2, c / 2]);

/** In `box` (`[data-testid=feature-maps]`), one figure per convolution of `shapes` (`{output: [c, h, w]}`, in order,
 *  from draw.json), with the hook `data-layer` (the output's name), and its canvas. */
export function make_maps(box, shapes) {
  box.replaceChildren(el('h2', {textContent: 'Inside the ten-digit CNN'}),
    el('p', {textContent: 'What each of its six convolutions makes of your drawing: its feature maps, each layer scaled to ' +
             'its strongest (dark). The first ones still show your strokes, each filter picking out some; every other ' +
             'layer has maps half as wide and twice as many, until the last, which the final layer averages and reads.'}),
    ...Object.entries(shapes).map(([name, [c, h, w]], i) => {
      const [rows, cols] = grid(c);
      const fig = el('figure', {}, el('figcaption', {textContent: `Convolution ${i + 1}: ${c} maps of ${h}×${w}`}),
                     el('canvas', {width: cols * (w + 1) - 1, height: rows * (h + 1) - 1, role: 'img',
                                   ariaLabel: `The ${c} feature maps of convolution ${i + 1}, ${h} by ${w} pixels each`}));
      Object.assign(fig.dataset, {layer: name, shape: JSON.stringify([c, h, w])});
      return fig;
    }));
}

/** A drawing's maps (`numbers`: the ten-digit model's outputs; null: a blank pad), grey as the digits are drawn. */
export function show_maps(box, numbers) {
  for (const fig of box.querySelectorAll('[data-layer]')) {
    const [c, h, w] = JSON.parse(fig.dataset.shape), [rows, cols] = grid(c), W = cols * (w + 1) - 1;
    const maps = numbers ? numbers[fig.dataset.layer] : new Float32Array(c * h * w);
    let m = 1e-9;
    for (const v of maps) m = Math.max(m, v);
    const px = new Float32Array(W * (rows * (h + 1) - 1)).fill(-1);   // -1: a gap
    for (let k = 0; k < c; k++) {
      const x0 = (k % cols) * (w + 1), y0 = Math.floor(k / cols) * (h + 1);
      for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) px[(y0 + y) * W + x0 + x] = maps[(k * h + y) * w + x] / m;
    }
    paint(fig.querySelector('canvas'), rows * (h + 1) - 1, W, px, v => {
      if (v < 0) return GAP;
      const g = Math.round(255 * (1 - Math.min(1, v))); return [g, g, g];
    });
  }
}
