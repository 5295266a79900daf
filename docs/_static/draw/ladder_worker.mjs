// The ladder's models, run in a web worker (ladder.mjs starts it): ONNX Runtime Web loads, compiles its WebAssembly and
// runs every model here, so the page stays free to draw while they load and while they think.
// Messages in: {id, load: {ort, wasm, models: [{name, url}]}} once, then {id, px, ladder: [{name, outputs}]} per image.
// Messages out: {id, ok: true, numbers?} or {id, ok: false, error}.
let ort, sessions;

async function load({ort: ort_url, wasm, models}) {
  ort = await import(ort_url);
  ort.env.wasm.wasmPaths = {wasm};   // the wasm file only: its loader is inside the bundle
  ort.env.wasm.numThreads = 1;       // threads need cross-origin isolation, which a static site cannot ask for
  sessions = {};
  for (const m of models) sessions[m.name] = await ort.InferenceSession.create(m.url, {executionProviders: ['wasm']});
}

/** Every model on a uint8 28x28 image, whose input is uint8/255 as in Python: `{model: {output: Float32Array}}`.
 *  One model at a time: an ONNX Runtime session runs one call at once. */
async function run(px, ladder) {
  const x = new ort.Tensor('float32', Float32Array.from(px, v => v / 255), [1, 1, 28, 28]);
  const numbers = {};
  for (const m of ladder) {
    const out = await sessions[m.name].run({image: x});
    numbers[m.name] = Object.fromEntries(m.outputs.map(o => [o, out[o].data]));
  }
  return numbers;
}

self.onmessage = async ({data}) => {
  try {
    if (data.load) { await load(data.load); self.postMessage({id: data.id, ok: true}); }
    else self.postMessage({id: data.id, ok: true, numbers: await run(data.px, data.ladder)});
  } catch (e) { self.postMessage({id: data.id, ok: false, error: String(e && e.message || e)}); }
};
