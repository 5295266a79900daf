// The training loop of chapter 3, in the reader's browser (the train explorer, issue 30): chapter 3's linear model
// (`linear1`: 784 weights and a bias) or chapter 5's `simple_net` (784 pixels to 30 units, ReLU, 30 to 1), the loss
// `mnist_loss`, and for each mini-batch `train_epoch`'s step: every parameter moves by `-grad*lr`. A browser has no
// PyTorch, so the gradients are written out with the chain rule; autograd computes the same numbers in Python
// (tests/test_train_explorer.py checks it). Parameters are float32, as PyTorch's are.

// mulberry32: a small generator of numbers in [0, 1) from a seed, so that an order of the digits can be repeated
export function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// A model: its name, its number of hidden units (0 for the linear model), and its parameters, a copy of `start`
// (`{name: Float32Array}`, the chapter's order and shapes: `weights`, `bias`; or `w1`, 784x30 row by row, `b1`, `w2`, `b2`)
export function initModel(name, start) {
  const params = Object.fromEntries(Object.entries(start).map(([k, v]) => [k, Float32Array.from(v)]));
  return { name, hidden: name === 'simple_net' ? params.b1.length : 0, params };
}

// The digits: 784 bytes each. A digit is mostly blank paper, so each keeps only its inked pixels (index, value in 0..1)
export function sparseDigits(bytes, n) {
  const start = new Int32Array(n + 1), idx = [], val = [];
  for (let k = 0; k < n; k++) {
    for (let i = 0; i < 784; i++) { const v = bytes[k * 784 + i]; if (v) { idx.push(i); val.push(v / 255); } }
    start[k + 1] = idx.length;
  }
  return { n, start, idx: Uint16Array.from(idx), val: Float32Array.from(val) };
}

// The model's output for digit `k` (above 0: a 3); for the simple net, its 30 units before the ReLU go in `h`
export function predict(model, data, k, h) {
  const p = model.params, { start, idx, val } = data, H = model.hidden;
  if (!H) {
    let z = p.bias[0];
    for (let j = start[k]; j < start[k + 1]; j++) z += val[j] * p.weights[idx[j]];
    return z;
  }
  for (let u = 0; u < H; u++) h[u] = p.b1[u];
  for (let j = start[k]; j < start[k + 1]; j++) {
    const v = val[j], row = idx[j] * H;
    for (let u = 0; u < H; u++) h[u] += v * p.w1[row + u];
  }
  let z = p.b2[0];
  for (let u = 0; u < H; u++) if (h[u] > 0) z += h[u] * p.w2[u];
  return z;
}

const sigmoid = z => 1 / (1 + Math.exp(-z));

// One step on the digits `batch` (indices into `data`; `is3[k]` says which are 3s): the batch's `mnist_loss` before
// the step, returned. Its gradient for digit k's output z is d/dz of mean(3 ? 1-sigmoid(z) : sigmoid(z)):
// (3 ? -1 : +1) * sigmoid(z) * (1 - sigmoid(z)) / n; then for a weight, times its pixel (and, in the simple net,
// through w2 and the ReLU to the unit's weights).
export function step(model, data, is3, batch, lr) {
  const p = model.params, H = model.hidden, n = batch.length, { start, idx, val } = data;
  const grads = Object.fromEntries(Object.entries(p).map(([k, v]) => [k, new Float64Array(v.length)]));
  const h = new Float64Array(H);
  let loss = 0;
  for (const k of batch) {
    const s = sigmoid(predict(model, data, k, h)), g = (is3[k] ? -1 : 1) * s * (1 - s) / n;
    loss += (is3[k] ? 1 - s : s) / n;
    if (!H) {
      grads.bias[0] += g;
      for (let j = start[k]; j < start[k + 1]; j++) grads.weights[idx[j]] += val[j] * g;
      continue;
    }
    grads.b2[0] += g;
    for (let u = 0; u < H; u++) {
      if (h[u] <= 0) { h[u] = 0; continue; }
      grads.w2[u] += h[u] * g;
      h[u] = g * p.w2[u];   // now the gradient of the unit's value before the ReLU
      grads.b1[u] += h[u];
    }
    for (let j = start[k]; j < start[k + 1]; j++) {
      const v = val[j], row = idx[j] * H;
      for (let u = 0; u < H; u++) if (h[u]) grads.w1[row + u] += v * h[u];
    }
  }
  for (const [k, v] of Object.entries(p)) { const gk = grads[k]; for (let i = 0; i < v.length; i++) v[i] -= gk[i] * lr; }
  return loss;
}

// `validate_epoch`: the share of `data`'s digits whose output is on their side of 0 (above for a 3)
export function accuracy(model, data, is3) {
  const h = new Float64Array(model.hidden);
  let right = 0;
  for (let k = 0; k < data.n; k++) if ((predict(model, data, k, h) > 0) === !!is3[k]) right++;
  return right / data.n;
}

// An epoch's order: the training digits shuffled (Fisher-Yates), cut into batches of `bs`, the last one shorter
export function epochBatches(n, bs, rand) {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) { const j = Math.floor(rand() * (i + 1)); [order[i], order[j]] = [order[j], order[i]]; }
  const batches = [];
  for (let i = 0; i < n; i += bs) batches.push(order.slice(i, i + bs));
  return batches;
}
