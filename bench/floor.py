"""How fast the report's resnet18 row could be on this CPU: the arithmetic of one epoch, counted layer by layer, against
the rate this CPU multiplies matrices at (torch's `mm`, fp32, every core). Prints one JSON object:
`{"gflops", "mflop_per_image", "mflop_per_image_real", "tflop_epoch", "floor_s"}` (`_real`: without the products with
the zero padding around 1×1 and 2×2 grids, which untrimmed convolutions compute all the same; the epoch and the floor
count only those, the least any way of computing the network must do)."""
import json, time, torch
from torch import nn

def matmul_gflops(n:int=2048, reps:int=10)->float:
    "fp32 GFLOP/s of an `n`×`n` matrix product, best of `reps`"
    a, b = torch.randn(n, n), torch.randn(n, n); a @ b
    best = min(_timed(lambda: a @ b) for _ in range(reps))
    return 2*n**3/best/1e9

def _timed(f)->float:
    start = time.perf_counter(); f(); return time.perf_counter() - start

def forward_mflop(model, x)->tuple:
    "MFLOP of one forward pass of `model` on `x` (one image): as computed, and only the products with real pixels"
    done, real = [], []
    def count(m, inp, out):
        if isinstance(m, nn.Conv2d):
            k, side = m.in_channels//m.groups, inp[0].shape[-1]
            taps = m.kernel_size[0]*m.kernel_size[1]
            done.append(out.numel()*k*taps); real.append(out.numel()*k*min(taps, side*side))
        elif isinstance(m, nn.Linear): done.append(out.numel()*m.in_features); real.append(done[-1])
    hooks = [m.register_forward_hook(count) for m in model.modules()]
    with torch.no_grad(): model.eval()(x)
    for h in hooks: h.remove()
    return 2*sum(done)/1e6, 2*sum(real)/1e6

if __name__ == '__main__':
    from fastai.vision.all import create_vision_model, resnet18
    mflop, real = forward_mflop(create_vision_model(resnet18, 2, pretrained=False, n_in=3), torch.rand(1, 3, 28, 28))
    tflop = (3*real*12_396 + real*2_038)/1e6   # training: forward and backward (twice the forward); then validation
    g = matmul_gflops()
    print(json.dumps(dict(gflops=round(g, 1), mflop_per_image=round(mflop, 1), mflop_per_image_real=round(real, 1),
                          tflop_epoch=round(tflop, 2), floor_s=round(tflop*1e3/g, 1))))
