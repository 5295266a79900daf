// The ladder: every model of the chapter, each an ONNX file the site's build exported (`mnist37.ladder.export_ladder`),
// run by ONNX Runtime Web (its WebAssembly backend) on the 28x28 image prepare.mjs makes. Each model gives the numbers
// its answer is made of (the outputs `mnist37.ladder.LADDER` names); `ladder_answer` reads the answer from them by the
// rule of the model's own chapter, as Python's `ladder_answer` does.
const HERE = new URL('./', import.meta.url);

// One tiny module that uses a WebAssembly SIMD instruction: ONNX Runtime Web's one wasm needs SIMD (every browser since
// 2023 has it); checked here, on the page, so that a browser without it is told so in one sentence.
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0,
                                   253, 15, 253, 98, 11]);

/** A web worker that asks `worker` something and resolves with its answer (or rejects with its error). */
function asker(worker) {
  let next = 0;
  const waiting = new Map();
  worker.onmessage = ({data}) => {
    const {resolve, reject} = waiting.get(data.id); waiting.delete(data.id);
    data.ok ? resolve(data.numbers) : reject(new Error(data.error));
  };
  worker.onerror = e => { for (const {reject} of waiting.values()) reject(new Error(e.message || 'the worker failed')); };
  return (msg, transfer = []) => new Promise((resolve, reject) => {
    const id = next++; waiting.set(id, {resolve, reject}); worker.postMessage({...msg, id}, transfer);
  });
}

/** draw.json (the ten-digit model's classes, `mnist37.predict.UNSURE`, the ladder's models), then ONNX Runtime Web and
 *  one session per model, loaded in a web worker (ladder_worker.mjs; a page with a small pad starts it on the first
 *  stroke): the page is never blocked while the runtime compiles and the models load. */
export async function load_ladder() {
  if (!WebAssembly.validate(SIMD_PROBE)) throw new Error('this browser runs WebAssembly without SIMD, which ONNX Runtime Web needs');
  const r = await fetch(new URL('draw.json', HERE));
  if (!r.ok) throw new Error(`draw.json: HTTP ${r.status}`);
  const settings = await r.json();
  const ask = asker(new Worker(new URL('ladder_worker.mjs', HERE), {type: 'module'}));
  await ask({load: {ort: new URL('ort/ort.wasm.bundle.min.mjs', HERE).href,
                    wasm: new URL('ort/ort-wasm-simd-threaded.wasm', HERE).href,
                    models: settings.ladder.map(m => ({name: m.name, url: new URL(`${m.name}.onnx`, HERE).href}))}});
  return {settings, ask};
}

/** Every model on a uint8 28x28 image (`image.px`), in the worker: `{model: {output: Float32Array}}`. */
export async function run_ladder(models, image) {
  const ladder = models.settings.ladder.map(m => ({name: m.name, outputs: m.outputs}));
  return models.ask({px: Uint8Array.from(image.px), ladder});
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
