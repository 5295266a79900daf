"""mnist37: chapter 4 of fastbook, telling 3s from 7s step by step, then all ten digits, and reading the digit you drew."""
__version__ = "0.0.1"

import warnings
# fastai 2.8 calls `torch.jit.script` when it is imported, which recent PyTorch flags as deprecated: not ours to fix,
# so the package silences just that one warning, before any of its modules imports fastai
warnings.filterwarnings('ignore', message='`torch.jit.script` is deprecated', category=FutureWarning)
