// The ladder: every model of the chapter, each an ONNX file the site's build exported (`mnist37.ladder.export_ladder`),
// run by ONNX Runtime Web (its WebAssembly backend) on the 28x28 image prepare.mjs makes. Each model gives the numbers
// its answer is made of (the outputs `mnist37.ladder.LADDER` names); `ladder_answer` reads the answer from them by the
// rule of the model's own chapter, as Python's `ladder_answer` does.
const HERE = new URL('./', import.meta.url);

/** ONNX Runtime Web (imported only now: a page with a small pad fetches it on the first stroke), draw.json (the
 *  ten-digit model's classes, `mnist37.predict.UNSURE`, the ladder's models) and one session per model, created one
 *  after the other: the first also starts the runtime's WebAssembly. */
export async function load_ladder() {
  const ort = await import('./ort/ort.wasm.bundle.min.mjs');
  // the wasm file only: its loader is inside the bundle (a folder here would make ONNX Runtime fetch the loader too)
  ort.env.wasm.wasmPaths = {wasm: new URL('ort/ort-wasm-simd-threaded.wasm', HERE).href};
  ort.env.wasm.numThreads = 1;   // threads need cross-origin isolation, which a static site (GitHub Pages) cannot ask for
  const r = await fetch(new URL('draw.json', HERE));
  if (!r.ok) throw new Error(`draw.json: HTTP ${r.status}`);
  const settings = await r.json(), sessions = {};
  for (const m of settings.ladder)
    sessions[m.name] = await ort.InferenceSession.create(new URL(`${m.name}.onnx`, HERE).href, {executionProviders: ['wasm']});
  return {ort, settings, sessions};
}

/** Every model on a uint8 28x28 image, whose input is uint8/255 as in Python: `{model: {output: Float32Array}}`.
 *  One model at a time: an ONNX Runtime session runs one call at once. */
export async function run_ladder(models, image) {
  const x = new models.ort.Tensor('float32', Float32Array.from(image.px, v => v / 255), [1, 1, 28, 28]);
  const numbers = {};
  for (const m of models.settings.ladder) {
    const out = await models.sessions[m.name].run({image: x});
    numbers[m.name] = Object.fromEntries(m.outputs.map(o => [o, out[o].data]));
  }
  return numbers;
}

/** The index of the largest value (the first, as numpy's argmax). */
export function argmax(v) { let best = 0; for (let i = 1; i < v.length; i++) if (v[i] > v[best]) best = i; return best; }

/** What model `name` reads from its numbers `out`, by its chapter's rule (Python's `ladder_answer`): the nearer average
 *  (the book's `is_3`), a 3 when the sigmoid is over 0.5 (a 3 is the target 1), or the likelier class. */
export function ladder_answer(name, out, classes) {
  if (name === 'pixel_similarity') { const [d3, d7] = out.distances; return d3 < d7 ? 3 : 7; }
  if (out.probability) return out.probability[0] > 0.5 ? 3 : 7;
  return (name === 'cnn_37' ? [3, 7] : classes)[argmax(out.probabilities)];
}
