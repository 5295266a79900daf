// A drawing made ready for the model, exactly as mnist37's Python `predict` prepares a picture of a digit.
//
// Each function below mirrors the Python function of the same name in `mnist37.predict` (nbs/08_your_digit.ipynb)
// step by step, and keeps its name so the two can be read side by side. numpy works in float32 there, so these do too
// (Math.fround, Float32Array); Pillow works in integers (its Lanczos resize of uint8, its alpha compositing, its
// conversion to grey) or in float32 (its bilinear resize of mode-'F' images), so these copy its arithmetic from its
// C source. The result is the same 28x28 image Python's `mnist_style` makes.
//
// An image is {h, w, px}: px holds h*w numbers, row after row, like a 2-D numpy array.

const f32 = Math.fround;

/** Python's round() and numpy's round(): halves go to the even neighbour (JavaScript's Math.round goes up). */
function round_half_even(x) {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

// --- open_digit: pixels to greys ---------------------------------------------------------------------------

/** Pillow's `Image.alpha_composite(page, im)` for one channel value `c` of alpha `a`, on an opaque page of grey `bg`
 *  (255 white, 0 black; AlphaComposite.c, 7 extra bits). */
function over(c, a, bg) {
  if (a === 0) return bg;
  const outa255 = a * 255 + 255 * (255 - a);
  const coef1 = Math.floor(a * 255 * 255 * 128 / outa255), coef2 = 255 * 128 - coef1;
  const t = c * coef1 + bg * coef2 + (0x80 << 7);
  return Math.floor((Math.floor(t / 256) + t) / 256) >> 7;   // SHIFTFORDIV255(t) >> PRECISION_BITS
}

/** The picture's grey levels (Pillow's `convert('L')`: L = (R*19595 + G*38470 + B*7471 + 0x8000) >> 16) as it looks on
 *  a page of grey `bg`; `bg` null: its colours alone, opaque. */
function levels(rgba, n, bg) {
  const L = new Uint8Array(n), on = (c, a) => bg === null ? c : over(c, a, bg);
  for (let i = 0; i < n; i++) {
    const a = rgba[4 * i + 3];
    L[i] = (on(rgba[4 * i], a) * 19595 + on(rgba[4 * i + 1], a) * 38470 + on(rgba[4 * i + 2], a) * 7471 + 0x8000) >> 16;
  }
  return L;
}

function ptp(L) { let lo = 255, hi = 0; for (const v of L) { lo = Math.min(lo, v); hi = Math.max(hi, v); } return hi - lo; }

/** `open_digit`, for pixels already decoded (a canvas's RGBA bytes), as Python's `_on_paper`: the picture laid on white
 *  paper, or on black where only black shows its strokes (a white pen on a transparent canvas), whichever has more
 *  contrast (white on a tie: an opaque picture is the same on both); alpha 0 everywhere counts as opaque; then `/255` in
 *  float32: greys in [0,1], 0 black. */
export function open_digit(rgba, w, h) {
  const n = w * h;
  let any = false;
  for (let i = 0; i < n && !any; i++) any = rgba[4 * i + 3] !== 0;
  let L = levels(rgba, n, any ? 255 : null);
  if (any) { const black = levels(rgba, n, 0); if (ptp(black) > ptp(L)) L = black; }
  return {h, w, px: Float32Array.from(L, v => v / 255)};
}

// --- ink -----------------------------------------------------------------------------------------------------

/** Python's `_border`: the first and last rows and columns (corners twice, as np.concatenate has them). */
function border(a) {
  const {h, w, px} = a, out = [];
  for (let x = 0; x < w; x++) out.push(px[x], px[(h - 1) * w + x]);
  for (let y = 0; y < h; y++) out.push(px[y * w], px[y * w + w - 1]);
  return out;
}

/** np.median of float32 values: the middle one, or the float32 mean of the two middle ones. */
function median(values) {
  const v = Float32Array.from(values).sort(), n = v.length;
  return n % 2 ? v[(n - 1) / 2] : f32(f32(v[n / 2 - 1] + v[n / 2]) / 2);
}

function max(px) { let m = -Infinity; for (const v of px) if (v > m) m = v; return m; }

/** Python's `Blank` (a ValueError): a picture with no digit on it. Not an error for the page: `predict` answers it with
 *  `digit: null, sure: false` and the message as its reason. */
export class Blank extends Error {}

export const BIG = 64;   // pictures at least this many pixels on their shorter side are cleaned of noise and shading
export const MAX_GRAIN = 0.1;   // predict.MAX_GRAIN: more of such a picture changed by the median filter: noise

/** predict.median3: the 5th smallest (rank 9//2 = 4) of each 3x3 window, the image's edge pixels repeated around it
 *  (np.pad mode 'edge'; the same as Pillow's MedianFilter(3), which predict.py's tests compare it with). The median
 *  is one of the nine float32 values, so only which one matters. */
function median3(a) {
  const {h, w} = a, px = new Float32Array(h * w), win = new Float32Array(9);
  const at = (y, x) => a.px[Math.min(h - 1, Math.max(0, y)) * w + Math.min(w - 1, Math.max(0, x))];
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    for (let i = 0; i < 9; i++) {             // insertion sort of the window
      let v = at(y + Math.floor(i / 3) - 1, x + i % 3 - 1), j = i;
      for (; j > 0 && win[j - 1] > v; j--) win[j] = win[j - 1];
      win[j] = v;
    }
    px[y * w + x] = win[4];
  }
  return {h, w, px};
}

/** Resample.c's `precompute_coeffs`: for each output pixel, the first input pixel it reads and its weights, in double
 *  precision, for `filter` of support `filterSupport`, widened by the scale when shrinking (`filterscale`). */
function precompute_coeffs(inSize, outSize, filter, filterSupport) {
  const scale = inSize / outSize, filterscale = Math.max(scale, 1), support = filterSupport * filterscale;
  const inv = 1 / filterscale;
  return Array.from({length: outSize}, (_, xx) => {
    const center = (xx + 0.5) * scale;
    const xmin = Math.max(0, Math.trunc(center - support + 0.5));      // (int) truncates, as in C
    const n = Math.min(inSize, Math.trunc(center + support + 0.5)) - xmin;
    let k = Array.from({length: n}, (_, x) => filter((x + xmin - center + 0.5) * inv));
    const ww = k.reduce((s, v) => s + v, 0);
    if (ww !== 0) k = k.map(v => v / ww);
    return {xmin, k};
  });
}

// --- flatten_paper: the paper's level as a smooth surface ------------------------------------------------------

/** `darkest_squares`: the darkest grey of each square of side `b`, the picture edge-padded to whole squares. */
function darkest_squares(a, b) {
  const {h, w} = a, H = Math.ceil(h / b), W = Math.ceil(w / b);
  const px = new Float32Array(H * W).fill(Infinity);           // np.pad(a, ..., mode='edge').reshape(...).min((1, 3))
  for (let y = 0; y < H * b; y++) for (let x = 0; x < W * b; x++) {
    const i = Math.floor(y / b) * W + Math.floor(x / b), v = a.px[Math.min(y, h - 1) * w + Math.min(x, w - 1)];
    if (v < px[i]) px[i] = v;
  }
  return {h: H, w: W, px};
}

const terms = (u, v) => [1.0, u, v, u * u, u * v, v * v];     // Python's `_terms`: a quadratic surface in u and v

/** `_solve`: Gaussian elimination with partial pivoting (the first largest pivot, as Python's `max` picks it). */
function solve(A, r) {
  const n = r.length, M = A.map((row, i) => [...row, r[i]]);
  for (let i = 0; i < n; i++) {
    let p = i;
    for (let k = i + 1; k < n; k++) if (Math.abs(M[k][i]) > Math.abs(M[p][i])) p = k;
    [M[i], M[p]] = [M[p], M[i]];
    for (let k = i + 1; k < n; k++) {
      const f = M[i][i] ? M[k][i] / M[i][i] : 0.0;
      for (let j = i; j <= n; j++) M[k][j] -= f * M[i][j];
    }
  }
  const x = new Array(n).fill(0.0);
  for (let i = n - 1; i >= 0; i--) {
    let s = 0;                                                  // Python's sum() starts from 0
    for (let j = i + 1; j < n; j++) s += M[i][j] * x[j];
    x[i] = M[i][i] ? (M[i][n] - s) / M[i][i] : 0.0;
  }
  return x;
}

/** `fit_quadratic`: the normal equations of the kept squares, summed row by row as numpy's `nonzero` lists them. */
function fit_quadratic(z, keep, us, vs) {
  const A = Array.from({length: 6}, () => new Array(6).fill(0.0)), r = new Array(6).fill(0.0);
  for (let i = 0; i < z.h; i++) for (let j = 0; j < z.w; j++) {
    if (!keep[i * z.w + j]) continue;
    const t = terms(us[j], vs[i]), zz = z.px[i * z.w + j];
    for (let p = 0; p < 6; p++) {
      r[p] += t[p] * zz;
      for (let q = 0; q < 6; q++) A[p][q] += t[p] * t[q];
    }
  }
  return solve(A, r);
}

/** `paper_surface`: a quadratic through the darkest grey of the squares that are paper, fitted `rounds` times, each
 *  time without the squares more than `tol` above the last fit (ink); float32 at every pixel. */
function paper_surface(a, patches = 8, tol = 0.05, rounds = 4) {
  const {h, w} = a, b = Math.max(2, Math.floor(Math.min(h, w) / patches));
  const z = darkest_squares(a, b);
  const us = Array.from({length: z.w}, (_, j) => (j * b + Math.min((j + 1) * b, w)) / w - 1);
  const vs = Array.from({length: z.h}, (_, i) => (i * b + Math.min((i + 1) * b, h)) / h - 1);
  const m = median(z.px);
  let keep = Array.from(z.px, v => v <= m), c;
  for (let round = 0; round < rounds; round++) {
    c = fit_quadratic(z, keep, us, vs);
    const paper = Array.from(z.px, (v, k) => {
      const t = terms(us[k % z.w], vs[Math.floor(k / z.w)]);
      let s = 0;
      for (let q = 0; q < 6; q++) s += c[q] * t[q];
      return v - s <= tol;                                      // float32 z less the float64 surface, in float64
    });
    if (paper.filter(Boolean).length < 12) break;
    keep = paper;
  }
  const px = new Float32Array(h * w);
  for (let y = 0; y < h; y++) {
    const v = (2 * y + 1) / h - 1;
    for (let x = 0; x < w; x++) {
      const u = (2 * x + 1) / w - 1;
      px[y * w + x] = c[0] + c[1] * u + c[2] * v + c[3] * (u * u) + c[4] * (u * v) + c[5] * (v * v);
    }
  }
  return {h, w, px};
}

/** `flatten_paper`: `a` less the paper's level (`paper_surface`) wherever the picture is above it. */
export function flatten_paper(a) {
  const paper = paper_surface(a);
  return {h: a.h, w: a.w, px: a.px.map((v, i) => v - Math.min(paper.px[i], v))};   // a - np.minimum(paper, a), in float32
}

/** `ink`: bright ink on black, inverted when the picture is dark on light (judged by its border); a big picture (the
 *  pad is one) median-filtered and its paper flattened; the paper's level removed. `Blank` when nothing differs from
 *  the paper by 0.1, or when the median filter changes more than `MAX_GRAIN` of a big picture (noise). */
export function ink(a) {
  if (median(border(a)) > 0.5) a = {...a, px: a.px.map(v => 1 - v)};    // a = 1-a (Float32Array.map stays float32)
  if (Math.min(a.h, a.w) >= BIG) {   // a photo or scan: grain, then shading
    const m = median3(a);
    let changed = 0;   // (np.abs(a-m) > 0.25).mean() > MAX_GRAIN: grain all over, not strokes
    for (let i = 0; i < a.px.length; i++) if (Math.abs(f32(a.px[i] - m.px[i])) > 0.25) changed++;
    if (changed / a.px.length > MAX_GRAIN) throw new Blank('noise: grain all over, no strokes of a digit');
    a = flatten_paper(m);
  }
  const paper = median(border(a)), range = f32(max(a.px) - paper);
  if (range < f32(0.1)) throw new Blank('blank: nothing on it differs from the background');   // numpy: 0.1 as float32
  const px = a.px.map(v => Math.min(1, Math.max(0, f32(f32(v - paper) / range))));   // np.clip((a-paper)/(max-paper), 0, 1)
  return {h: a.h, w: a.w, px};
}

// --- crop_ink ------------------------------------------------------------------------------------------------

/** Rows y0..y1-1 and columns x0..x1-1 of `a`. */
function sub_image(a, y0, y1, x0, x1) {
  const w = x1 - x0, px = new Float32Array((y1 - y0) * w);
  for (let y = y0; y < y1; y++) px.set(a.px.subarray(y * a.w + x0, y * a.w + x1), (y - y0) * w);
  return {h: y1 - y0, w, px};
}

/** `crop_ink`: the smallest rectangle holding every pixel above `threshold` (0.3, compared in float32). */
export function crop_ink(a, threshold = 0.3) {
  let y0 = a.h, y1 = -1, x0 = a.w, x1 = -1;
  for (let y = 0; y < a.h; y++) for (let x = 0; x < a.w; x++) {
    if (!(a.px[y * a.w + x] > f32(threshold))) continue;
    y0 = Math.min(y0, y); y1 = Math.max(y1, y); x0 = Math.min(x0, x); x1 = Math.max(x1, x);
  }
  return sub_image(a, y0, y1 + 1, x0, x1 + 1);
}

// --- thin_pen: a hairline widened to MNIST's thinnest pen ------------------------------------------------------

export const MIN_PEN = 1.2;   // predict.MIN_PEN: thinner than nearly all of MNIST's strokes, in pixels of the 20x20 box

/** `pen_width`: twice the ink's area over the length of its edges (ink: above `threshold`, compared in float32). */
function pen_width(a, threshold = 0.3) {
  const {h, w} = a, at = (y, x) => y >= 0 && y < h && x >= 0 && x < w && a.px[y * w + x] > f32(threshold);
  let area = 0, edges = 0;
  for (let y = -1; y <= h; y++) for (let x = -1; x <= w; x++) {   // the picture with a border of paper, as np.pad
    const m = at(y, x);
    area += m;
    if (y < h && m !== at(y + 1, x)) edges++;
    if (x < w && m !== at(y, x + 1)) edges++;
  }
  return 2 * area / edges;
}

/** `_running_max` along rows of a `rows` x `n` array: the brightest of every `k` rows in a row, by doubling windows. */
function running_max(px, rows, n, k) {
  let m = px, len = rows, s = 1;
  while (2 * s <= k) {
    const next = new Float32Array((len - s) * n);
    for (let i = 0; i < (len - s) * n; i++) next[i] = Math.max(m[i], m[i + s * n]);
    m = next; len -= s; s *= 2;
  }
  const out = new Float32Array((rows - k + 1) * n);
  for (let i = 0; i < out.length; i++) out[i] = Math.max(m[i], m[i + (k - s) * n]);
  return out;
}

function transpose(px, h, w) {
  const out = new Float32Array(h * w);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out[x * h + y] = px[y * w + x];
  return out;
}

/** `widen`: grown by `r` pixels on each side, each pixel the brightest within `r` of it (a square max filter). */
function widen(a, r) {
  const H = a.h + 4 * r, W = a.w + 4 * r, p = new Float32Array(H * W);   // np.pad(a, 2*r): zeros around it
  for (let y = 0; y < a.h; y++) p.set(a.px.subarray(y * a.w, (y + 1) * a.w), (y + 2 * r) * W + 2 * r);
  const rows = running_max(p, H, W, 2 * r + 1), h = H - 2 * r;            // (h, W)
  const cols = running_max(transpose(rows, h, W), W, h, 2 * r + 1);        // (w, h), transposed
  return {h, w: W - 2 * r, px: transpose(cols, W - 2 * r, h)};
}

/** `thin_pen`: `a` widened if its strokes would come out thinner than `MIN_PEN` in the `box`x`box` square (a crop over
 *  10 boxes wide scaled to 10 boxes first, by `fit_box`). */
export function thin_pen(a, box = 20) {
  let ext = Math.max(a.h, a.w), w = pen_width(a);
  if (w * box / ext >= MIN_PEN) return a;
  if (ext > 10 * box) { a = fit_box(a, 10 * box); ext = Math.max(a.h, a.w); w = pen_width(a); }   // fewer pixels to widen
  return widen(a, Math.max(0, Math.ceil((MIN_PEN * ext / box - w) / 2)));
}

// --- fit_box, with Pillow's Lanczos resampling -----------------------------------------------------------------

const PRECISION_BITS = 32 - 8 - 2;   // Resample.c: fixed-point coefficients for 8-bit images

function sinc(x) { if (x === 0) return 1; x *= Math.PI; return Math.sin(x) / x; }
function lanczos(x) { return -3 <= x && x < 3 ? sinc(x) * sinc(x / 3) : 0; }   // a = 3: support 3

/** The weights of Pillow's LANCZOS filter on an 8-bit image: `precompute_coeffs`, then Resample.c's
 *  `normalize_coeffs_8bpc` turns them into integers (fixed point, `PRECISION_BITS`). */
function coefficients(inSize, outSize) {
  return precompute_coeffs(inSize, outSize, lanczos, 3).map(({xmin, k}) =>
    ({xmin, k: k.map(v => Math.trunc((v < 0 ? -0.5 : 0.5) + v * (1 << PRECISION_BITS)))}));
}

/** One pass of Resample.c (`_ImagingResampleHorizontal_8bpc` or `..Vertical_8bpc`) on a uint8 image: each output
 *  pixel is a fixed-point weighted sum, rounded by the added half and clipped to 0..255 (`clip8`). */
function resample_pass(a, outSize, horizontal) {
  const [h, w] = horizontal ? [a.h, outSize] : [outSize, a.w];
  const cs = coefficients(horizontal ? a.w : a.h, outSize), px = new Uint8Array(h * w);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const {xmin, k} = cs[horizontal ? x : y];
    let ss = 1 << (PRECISION_BITS - 1);
    for (let i = 0; i < k.length; i++)
      ss += k[i] * (horizontal ? a.px[y * a.w + xmin + i] : a.px[(xmin + i) * a.w + x]);
    px[y * w + x] = Math.min(255, Math.max(0, Math.floor(ss / (1 << PRECISION_BITS))));
  }
  return {h, w, px};
}

/** Pillow's `Image.resize((w, h), Image.LANCZOS)` of a uint8 image (Pillow 13's ImagingResampleInner): a pass only
 *  where that side changes; the vertical pass first when the height shrinks by more than twice what the width does.
 *  (Pillow 12 and older always went horizontal first: the order changes the uint8 rounding in between.) */
function resize_lanczos(a, w, h) {
  const vertical_first = a.h - h > 0 && a.h - h > (a.w - w) * 2;
  if (vertical_first && h !== a.h) a = resample_pass(a, h, false);
  if (w !== a.w) a = resample_pass(a, w, true);
  if (h !== a.h) a = resample_pass(a, h, false);
  return a;
}

/** `fit_box`: scaled (Lanczos, on uint8 as Python does) so that the longer side is `box`, then strongest ink 1. */
export function fit_box(a, box = 20) {
  const s = Math.max(a.h, a.w);
  const h = Math.max(1, round_half_even(a.h * box / s)), w = Math.max(1, round_half_even(a.w * box / s));
  const u8 = {h: a.h, w: a.w, px: Uint8Array.from(a.px, v => Math.trunc(f32(v * 255)))};   // (a*255).astype(np.uint8)
  const r = resize_lanczos(u8, w, h), m = max(r.px);
  if (m === 0) throw new Blank('blank: the ink is too thin or too sparse to survive scaling down to 20x20');
  return {h, w, px: Float32Array.from(r.px, v => v / m)};                                  // a/a.max()
}

// --- centre_of_mass, centre, mnist_style ---------------------------------------------------------------------

/** numpy's pairwise summation (np.sum of a contiguous array), with `add` rounding each sum as the dtype does. */
function pairwise_sum(v, lo, n, add) {
  if (n < 8) { let s = 0; for (let i = lo; i < lo + n; i++) s = add(s, v[i]); return s; }
  if (n <= 128) {
    const r = Array.from({length: 8}, (_, j) => v[lo + j]);
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let j = 0; j < 8; j++) r[j] = add(r[j], v[lo + i + j]);
    let s = add(add(add(r[0], r[1]), add(r[2], r[3])), add(add(r[4], r[5]), add(r[6], r[7])));
    for (; i < n; i++) s = add(s, v[lo + i]);
    return s;
  }
  const n2 = Math.floor(n / 2) - Math.floor(n / 2) % 8;
  return add(pairwise_sum(v, lo, n2, add), pairwise_sum(v, lo + n2, n - n2, add));
}

/** `centre_of_mass`: `(row, column)` of the ink. As in numpy: index*ink summed in float64, the ink itself in float32. */
export function centre_of_mass(a) {
  const add64 = (x, y) => x + y, add32 = (x, y) => f32(x + y);
  const rows = Float64Array.from(a.px, (v, i) => Math.floor(i / a.w) * v);
  const cols = Float64Array.from(a.px, (v, i) => (i % a.w) * v);
  const mass = pairwise_sum(a.px, 0, a.px.length, add32);
  return [pairwise_sum(rows, 0, rows.length, add64) / mass, pairwise_sum(cols, 0, cols.length, add64) / mass];
}

/** `centre`: the digit placed in a `size`x`size` black image with its centre of mass at the middle (inside the edges). */
export function centre(a, size = 28) {
  const [cy, cx] = centre_of_mass(a);
  const clip = (v, hi) => Math.min(Math.max(v, 0), hi);
  const top = clip(round_half_even(size / 2 - cy), size - a.h), left = clip(round_half_even(size / 2 - cx), size - a.w);
  const px = new Float32Array(size * size);
  for (let y = 0; y < a.h; y++) px.set(a.px.subarray(y * a.w, (y + 1) * a.w), (top + y) * size + left);
  return {h: size, w: size, px};
}

/** `mnist_style`'s steps, each kept for the page to show: the ink (`ink`), cropped to it (`crop_ink`, `thin_pen`),
 *  scaled into 20x20 (`fit_box`), and `image`, centred in 28x28 (`centre`): the uint8 image the model reads. */
export function mnist_steps(a) {
  const inked = ink(a);
  if (made_like_mnist(inked)) return {ink: inked, crop: inked, fit: inked, image: to_uint8(inked)};
  const cropped = thin_pen(crop_ink(inked)), fitted = fit_box(cropped);
  return {ink: inked, crop: cropped, fit: fitted, image: to_uint8(centre(fitted))};
}

/** `made_like_mnist`: 28x28, its ink (above 0) within 20 pixels each way, its centre of mass within 1.5 pixels of the
 *  middle (13.5), as every MNIST digit: read as it is. */
export function made_like_mnist(a) {
  if (a.h !== 28 || a.w !== 28) return false;
  let y0 = 28, y1 = -1, x0 = 28, x1 = -1;
  for (let i = 0; i < a.px.length; i++) if (a.px[i] > 0) {
    const y = Math.floor(i / 28), x = i % 28;
    y0 = Math.min(y0, y); y1 = Math.max(y1, y); x0 = Math.min(x0, x); x1 = Math.max(x1, x);
  }
  if (y1 < 0 || y1 - y0 >= 20 || x1 - x0 >= 20) return false;
  return centre_of_mass(a).every(c => Math.abs(c - 13.5) <= 1.5);
}

/** (out*255).round() as uint8 */
function to_uint8(out) {
  return {h: out.h, w: out.w, px: Uint8Array.from(out.px, v => round_half_even(f32(v * 255)))};
}

/** `mnist_style`: greys (from `open_digit`) to the uint8 28x28 image the model reads; `Blank` when there is no digit. */
export function mnist_style(a) { return mnist_steps(a).image; }
