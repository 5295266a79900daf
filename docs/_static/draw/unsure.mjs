// When the page is not sure of the model's answer: the rule of mnist37's Python `predict`, step for step.
//
// Each function mirrors the Python function of the same name in `mnist37.predict` (nbs/08_your_digit.ipynb, "When
// `predict` is not sure"), and the constants are Python's own: the site build writes `mnist37.predict.UNSURE` into
// draw.json, and the page passes it here as `u`. The reasons are Python's sentences, number formats included.
//
// `b`, where the ink is, is {h, w, px} with px a Uint8Array of 0 and 1, row after row (a 2-D numpy bool array).

/** Python's `f'{x:.{d}f}'` (and `.0%` of x/100): like toFixed, except that an exact tie goes to the even digit. */
function py_fixed(x, d) {
  const exact = x.toFixed(d + 40), rest = exact.slice(-40);   // x's digits after the d-th: enough to tell a tie
  if (!/^50*$/.test(rest)) return x.toFixed(d);
  const down = exact.slice(0, d ? -40 : -41);               // x truncated to d decimals
  return Number(down.slice(-1)) % 2 === 0 ? down : x.toFixed(d);   // toFixed takes a tie up: to the even digit here
}

/** `b.sum()`. */
function total(b) { let n = 0; for (const v of b.px) n += v; return n; }

/** `_height(b)`: rows from the first with ink to the last (0 without ink); `width(b)` is Python's `_height(b.T)`. */
function height(b) {
  let first = -1, last = -1;
  for (let y = 0; y < b.h; y++) for (let x = 0; x < b.w; x++) if (b.px[y * b.w + x]) { if (first < 0) first = y; last = y; }
  return first < 0 ? 0 : last - first + 1;
}
function width(b) {
  let first = -1, last = -1;
  for (let x = 0; x < b.w; x++) for (let y = 0; y < b.h; y++) if (b.px[y * b.w + x]) { if (first < 0) first = x; last = x; }
  return first < 0 ? 0 : last - first + 1;
}

/** Columns x0..x1-1 of `b` (numpy's `b[:, x0:x1]`). */
function columns(b, x0, x1) {
  const w = x1 - x0, px = new Uint8Array(b.h * w);
  for (let y = 0; y < b.h; y++) px.set(b.px.subarray(y * b.w + x0, y * b.w + x1), y * w);
  return {h: b.h, w, px};
}

/** `ink_pieces`: the number of pixels in each piece of touching ink (8-connected: diagonals touch), biggest first. */
export function ink_pieces(b) {
  const todo = Uint8Array.from(b.px), sizes = [];
  for (let start = 0; start < todo.length; start++) {
    if (!todo[start]) continue;
    const stack = [start]; let n = 0;
    todo[start] = 0;
    while (stack.length) {                                 // paint one piece, as Python does with its stack
      const p = stack.pop(), y = Math.floor(p / b.w), x = p % b.w; n++;
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) {
        const yy = y + dy, xx = x + dx, q = yy * b.w + xx;
        if (yy >= 0 && yy < b.h && xx >= 0 && xx < b.w && todo[q]) { todo[q] = 0; stack.push(q); }
      }
    }
    sizes.push(n);
  }
  return sizes.sort((s, t) => t - s);
}

/** `side_by_side`: an empty column splits the ink into two parts that each hold `min_side_ink` of the ink and
 *  `min_side_height` of its height. */
export function side_by_side(b, u) {
  const cols = [];
  for (let x = 0; x < b.w; x++) for (let y = 0; y < b.h; y++) if (b.px[y * b.w + x]) { cols.push(x); break; }
  if (!cols.length) return false;
  const n = total(b), h = height(b);
  for (let c = cols[0] + 1; c < cols[cols.length - 1]; c++) {
    if (cols.includes(c)) continue;                        // `b[:, c].any()`: not an empty column
    const parts = [columns(b, 0, c), columns(b, c, b.w)];
    if (parts.every(p => total(p) >= u.min_side_ink * n && height(p) >= u.min_side_height * h)) return true;
  }
  return false;
}

/** `unsure_reason`: why not to be sure of the model's answer (the first of the checks that holds), or null.
 *  `im`: the uint8 28x28 image (`mnist_style`); `probs`: the model's probabilities for it; `u`: Python's `UNSURE`. */
export function unsure_reason(im, probs, u) {
  const b = {h: im.h, w: im.w, px: Uint8Array.from(im.px, v => v >= u.ink_level ? 1 : 0)}, n = total(b), size = b.px.length;
  if (!n) return 'blank: no ink is left after scaling';
  if (n > u.max_ink * size) return `too much ink: ${py_fixed(n / size * 100, 0)}% of the image, noise or a shaded photo?`;
  if (ink_pieces(b)[0] < u.min_biggest * n) return 'scattered: the ink is in many small pieces, specks or noise';
  if (side_by_side(b, u)) return 'side by side: two marks with a gap between them, two digits? One digit per image';
  const w = width(b), h = height(b);
  if (w > u.max_flatness * h) return `flat: ${py_fixed(w / h, 0)} times as wide as tall, a dash?`;
  const p = Math.max(...probs);
  if (p < u.min_confidence) return `unsure model: its top probability is ${py_fixed(p, 2)}`;
  return null;
}
