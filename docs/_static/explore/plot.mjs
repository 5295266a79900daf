// Small helpers shared by the explorers (issue 23): elements, SVG elements, numbers as people read them.

const SVG = 'http://www.w3.org/2000/svg';

function make(node, attrs, children) {
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  node.append(...children.filter(c => c !== null && c !== undefined));
  return node;
}
export const el = (tag, attrs, ...children) => make(document.createElement(tag), attrs, children);
export const svg = (tag, attrs, ...children) => make(document.createElementNS(SVG, tag), attrs, children);

const SUP = { '-': '⁻', 0: '⁰', 1: '¹', 2: '²', 3: '³', 4: '⁴', 5: '⁵', 6: '⁶', 7: '⁷', 8: '⁸', 9: '⁹' };

// `v` to `digits` significant digits, trailing zeros dropped; very large or small ones as 2.58×10⁴
export function fmt(v, digits = 5) {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  if (v === 0) return '0';
  const minus = v < 0 ? '−' : '', a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) {
    const [m, e] = a.toExponential(Math.min(digits, 4) - 1).split('e');
    const mant = m.replace(/\.?0+$/, '');
    return `${minus}${mant}×10${String(Number(e)).replace(/./g, c => SUP[c])}`;
  }
  return minus + String(Number(a.toPrecision(digits)));
}

// An SVG path through `pts`, `[[x, y], ...]`
export const linePath = pts => pts.map(([x, y], i) => `${i ? 'L' : 'M'}${x.toFixed(2)},${y.toFixed(2)}`).join('');

// Axes, ticks, grid lines and labels of a plot in `frame` (`{W, H, M}`: its size in SVG units and its margins `M.l`,
// `M.r`, `M.t`, `M.b`), `xs` and `ys` mapping values to SVG units
export function axes(g, { W, H, M }, xs, ys, xlab, ylab, xTicks, yTicks, yLabel = fmt) {
  const [x0, x1] = [M.l, W - M.r], [y0, y1] = [H - M.b, M.t];
  g.append(svg('line', { x1: x0, y1: y0, x2: x1, y2: y0, class: 'axis' }), svg('line', { x1: x0, y1: y0, x2: x0, y2: y1, class: 'axis' }));
  for (const t of xTicks) {
    const x = xs(t);
    g.append(svg('line', { x1: x, y1: y0, x2: x, y2: y0 + 4, class: 'axis' }), svg('text', { x, y: y0 + 15, class: 'tick', 'text-anchor': 'middle' }, String(t)));
  }
  for (const v of yTicks) {
    const y = ys(v);
    g.append(svg('line', { x1: M.l, y1: y, x2: W - M.r, y2: y, class: 'grid' }),
             svg('text', { x: x0 - 5, y: y + 3.5, class: 'tick', 'text-anchor': 'end' }, yLabel(v)));
  }
  g.append(svg('text', { x: (x0 + x1)/2, y: H - 4, class: 'label', 'text-anchor': 'middle' }, xlab),
           svg('text', { x: 11, y: (y0 + y1)/2, class: 'label', 'text-anchor': 'middle', transform: `rotate(-90 11 ${(y0 + y1)/2})` }, ylab));
}

// One digit (784 values, 0 to 255), its ink dark on white paper as the book draws digits, labelled for screen readers
export function digitCanvas(pixels, label) {
  const c = el('canvas', { width: 28, height: 28, role: 'img', 'aria-label': label });
  const ctx = c.getContext('2d'), im = ctx.createImageData(28, 28);
  pixels.forEach((v, i) => { im.data.set([255 - v, 255 - v, 255 - v, 255], 4 * i); });
  ctx.putImageData(im, 0, 0);
  return c;
}
