// Inside the ten-digit CNN, for the reader's drawing (issue 30): its feature maps after each of its six convolutions,
// every map a small picture as CNN Explainer shows a CNN's, from the outputs `mnist37.ladder.Maps` gives the ONNX model
// the ladder already runs (so they are PyTorch's, within float rounding: tests/test_ladder.py). The simple net's units
// are in panels.mjs.
import {paint} from './panels.mjs';

const el = (tag, props = {}, ...kids) => { const e = Object.assign(document.createElement(tag), props); e.append(...kids); return e; };
const grey = v => { const g = Math.round(255 * (1 - Math.min(1, v))); return [g, g, g]; };   // 1: black ink

/** How many maps a row: 16, and 32 for the many small maps of the last layers (as "Up the ladder" draws them). */
export const per_row = c => (c <= 32 ? 16 : 32);

/** In `box` (`[data-testid=feature-maps]`), one figure per convolution of `shapes` (`{output: [c, h, w]}`, in order,
 *  from draw.json), with the hook `data-layer` (the output's name), holding a canvas per map. */
export function make_maps(box, shapes) {
  const sizes = Object.values(shapes).map(([c, h, w]) => `${c} maps of ${h}×${w}`).join(', ');
  box.replaceChildren(el('h2', {textContent: 'Inside the ten-digit CNN'}),
    el('p', {textContent: `What each of its six convolutions makes of your drawing, its feature maps: ${sizes}. Each ` +
             'layer is scaled to its strongest value (dark). The first maps still show your strokes, each filter picking ' +
             'out some (a grey background: it fires on the paper too); the deeper ones are smaller and more, and the last ' +
             'layer’s 128 are each averaged into one number, which the final linear layer weighs into the ten scores.'}),
    ...Object.entries(shapes).map(([name, [c, h, w]], i) => {
      const maps = el('div', {className: 'draw-maps', role: 'img', ariaLabel: `The ${c} feature maps of convolution ${i + 1}`},
                      ...Array.from({length: c}, () => el('canvas', {width: w, height: h})));
      maps.style.setProperty('--per-row', per_row(c));
      const fig = el('figure', {}, el('figcaption', {textContent: `Convolution ${i + 1}: ${c} maps of ${h}×${w}`}), maps);
      Object.assign(fig.dataset, {layer: name, shape: JSON.stringify([c, h, w])});
      return fig;
    }));
}

/** A drawing's maps (`numbers`: the ten-digit model's outputs; null: a blank pad), grey as the digits are drawn. */
export function show_maps(box, numbers) {
  for (const fig of box.querySelectorAll('[data-layer]')) {
    const [c, h, w] = JSON.parse(fig.dataset.shape);
    const maps = numbers ? numbers[fig.dataset.layer] : new Float32Array(c * h * w);
    let m = 1e-9;
    for (const v of maps) m = Math.max(m, v);
    fig.querySelectorAll('canvas').forEach((canvas, k) =>
      paint(canvas, h, w, maps.subarray(k * h * w, (k + 1) * h * w).map(v => v / m), grey));
  }
}
