"""The shipped ten-digit model as an ONNX file, for the site's "Draw a digit" page (ONNX Runtime Web runs it there).

    python docs/export_onnx.py [OUT.onnx]   # export, then check ONNX Runtime against PyTorch on 1,000 MNIST test digits

`docs/docsite.py build` calls `export_onnx` (the check is for tests: `check_onnx`). Nothing here knows the architecture:
whatever `nn.Module` the package's loader returns is traced with `torch.onnx.export`.
"""
import importlib, sys
from pathlib import Path
import numpy as np, torch

OPSET = 18          # the torch.onnx (dynamo) exporter's own opset; ONNX Runtime Web 1.18 runs opsets 7 to 21
MAX_IR = 10         # ONNX Runtime Web 1.18 (ONNX 1.16) reads IR versions up to 10; a newer exporter may write 11
UNSURE_BELOW = 0.5  # the page shows `?` when the top probability is below this (docsite writes it into draw.json)

def predict_module():
    "The package's prediction module: `mnist37.predict`, or `mnist37.full_mnist` where it has not moved yet"
    try: return importlib.import_module('mnist37.predict')
    except ModuleNotFoundError: return importlib.import_module('mnist37.full_mnist')

def ten_digit_model()->tuple:
    "`(model, classes)`: the shipped ten-digit model in eval mode (named `'10'`, formerly `'full'`)"
    mod = predict_module()
    for name in ('10', 'full'):
        try: return mod.load_model(name)
        except (ValueError, FileNotFoundError): continue
    raise FileNotFoundError('no ten-digit model: neither `10` nor `full` loads')

def export_onnx(fn:Path, model:torch.nn.Module=None)->Path:
    """Write `model` (default: the shipped ten-digit one) to `fn` as ONNX: input `image`, float `(n,1,28,28)` = uint8/255;
    output `logits`, `(n,10)`"""
    import onnx
    model = (ten_digit_model()[0] if model is None else model).eval()
    x = torch.zeros(2, 1, 28, 28)
    batch = torch.export.Dim('n', min=1, max=1024)
    prog = torch.onnx.export(model, (x,), dynamo=True, verbose=False, opset_version=OPSET, external_data=False,
                             input_names=['image'], output_names=['logits'], dynamic_shapes=({0: batch},))
    proto = prog.model_proto
    proto.ir_version = min(proto.ir_version, MAX_IR)   # Conv, Relu, Gemm...: nothing in the graph needs a newer IR
    onnx.checker.check_model(proto)                    # and the checker holds it to that IR version's rules
    fn = Path(fn)
    fn.parent.mkdir(parents=True, exist_ok=True)
    onnx.save_model(proto, str(fn))
    return fn

def mnist_test_digits(n:int=1000)->torch.Tensor:
    "`n` MNIST test digits as the model's input: float `(n,1,28,28)` in [0,1], taken evenly from the ten digits"
    from mnist37.data import full_tensors
    d = full_tensors()
    per = [d[f'testing/{c}'][: -(-n//10)] for c in range(10)]
    return (torch.cat(per)[:n].unsqueeze(1).float()/255)

def check_onnx(fn:Path, model:torch.nn.Module=None, n:int=1000, tol:float=1e-5)->float:
    "ONNX Runtime on `fn` vs PyTorch on `model`, on `n` MNIST test digits: the largest difference of logits (asserted <= `tol`)"
    import onnxruntime as ort
    model = (ten_digit_model()[0] if model is None else model).eval()
    x = mnist_test_digits(n)
    with torch.no_grad(): want = model(x).numpy()
    sess = ort.InferenceSession(str(fn), providers=['CPUExecutionProvider'])
    got = np.concatenate([sess.run(None, {'image': b.numpy()})[0] for b in x.split(250)])
    diff = float(np.abs(got - want).max())
    assert diff <= tol, f'ONNX Runtime and PyTorch differ by {diff:.2e} (> {tol:.0e}) on {n} MNIST test digits'
    return diff

def draw_settings(classes:tuple)->dict:
    "What the page reads from draw.json: the digit each output stands for, and its rule for showing `?` (one place)"
    return dict(classes=list(classes), unsure_below=UNSURE_BELOW)

if __name__ == '__main__':
    out = export_onnx(sys.argv[1] if len(sys.argv) > 1 else 'model.onnx')
    print(f'{out}: {out.stat().st_size:,} bytes; ONNX Runtime vs PyTorch on 1,000 test digits: {check_onnx(out):.1e}')
