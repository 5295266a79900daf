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
