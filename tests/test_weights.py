"""Damaged weights files (issue 16): one line naming the file and saying what to do, never a traceback.

Every case is a temporary copy of the shipped weights (`mnist37/weights/` is never written): cut short, garbage,
empty, without metadata, with wrong tensors, with NaN. `load_model` is asked for them through its `folder` argument;
the command is run in-process with the package's weights folder pointed at the damaged copy.
"""
import shutil
import pytest, torch
from safetensors.torch import save_file
import mnist37.predict as P
import mnist37.models as M
from mnist37.cli import main

GOOD = P.weights_dir/'10.safetensors'

def state():
    "The shipped ten-digit model's tensors, and its metadata"
    model, classes = P.load_weights(GOOD)
    return {k: v.contiguous() for k, v in model.state_dict().items()}, {'classes': ','.join(map(str, classes))}

def _save(tensors=None, meta='keep', drop=()):
    def make(fn):
        sd, md = state()
        sd = {k: v for k, v in {**sd, **(tensors or {})}.items() if k not in drop}
        save_file(sd, str(fn), metadata=md if meta == 'keep' else meta)
    return make

CASES = [  # (name, how to make the damaged file, words its message must hold)
    ('missing', lambda fn: None, 'missing'),
    ('empty', lambda fn: fn.write_bytes(b''), 'not a readable safetensors file'),
    ('cut in half', lambda fn: fn.write_bytes(GOOD.read_bytes()[:len(GOOD.read_bytes())//2]), 'truncated or damaged'),
    ('cut after 8 bytes', lambda fn: fn.write_bytes(GOOD.read_bytes()[:8]), 'truncated or damaged'),
    ('garbage', lambda fn: fn.write_bytes(b'\xff'*5000), 'not a readable safetensors file'),
    ('text', lambda fn: fn.write_text('weights: none'), 'not a readable safetensors file'),
    ('a PNG', lambda fn: fn.write_bytes(b'\x89PNG\r\n\x1a\n' + bytes(100)), 'not a readable safetensors file'),
    ('a folder', lambda fn: fn.mkdir(), 'cannot be read'),
    ('a pickle', lambda fn: torch.save(state()[0], fn), 'not a readable safetensors file'),
    ('no metadata', _save(meta=None), 'no `classes` metadata'),
    ('other metadata', _save(meta={'author': 'someone'}), 'no `classes` metadata'),
    ('classes not digits', _save(meta={'classes': 'three,seven'}), 'no `classes` metadata'),
    ('classes repeated', _save(meta={'classes': '1,1,2,3,4,5,6,7,8,9'}), 'no `classes` metadata'),
    ('the 3-or-7 model', lambda fn: shutil.copy(P.weights_dir/'37.safetensors', fn), 'digits (3, 7)'),
    ('a tensor missing', _save(drop=('8.bias',)), '1 tensors missing (8.bias...)'),
    ('a tensor too many', _save({'extra': torch.zeros(3)}), 'the model does not have (extra...)'),
    ('a wrong shape', _save({'8.weight': torch.zeros(10, 64)}), 'tensor 8.weight is F32 [10, 64], the model needs F32 [10, 128]'),
    ('a wrong dtype', _save({'0.0.weight': torch.zeros(16, 1, 3, 3, dtype=torch.float16)}), 'is F16'),
    ('NaN', _save({'8.bias': torch.full((10,), float('nan'))}), 'NaN or infinite weights'),
    ('Inf', _save({'0.0.weight': torch.full((16, 1, 3, 3), float('inf'))}), 'NaN or infinite weights'),
]

@pytest.fixture(autouse=True)
def fresh_cache():
    "`load_model` caches what it loaded: forget it around each test"
    P.load_model.cache_clear(); yield; P.load_model.cache_clear()

@pytest.mark.parametrize('i', range(len(CASES)), ids=[c[0] for c in CASES])
def test_damaged_weights(tmp_path, i):
    name, make, words = CASES[i]
    fn = tmp_path/'10.safetensors'
    make(fn)
    with pytest.raises(P.WeightsError) as e: P.load_model('10', tmp_path)
    msg = str(e.value)
    assert msg.startswith(f'{fn}: ') and words in msg and '\n' not in msg, (name, msg)
    assert msg.endswith('reinstall mnist37 (`pip install --force-reinstall mnist37`)') or 'make weights' in msg, msg

def test_unreadable(tmp_path):
    "Permission denied is said as such (safetensors alone would call it `No such file or directory`)"
    import subprocess, sys
    from conftest import unprivileged
    shutil.copy(GOOD, tmp_path/'10.safetensors'); (tmp_path/'10.safetensors').chmod(0)
    code = f"import mnist37.predict as P; P.load_model('10', {str(tmp_path)!r})"
    r = subprocess.run(unprivileged([sys.executable, '-c', code]), capture_output=True, text=True, timeout=60)
    assert f'WeightsError: {tmp_path}/10.safetensors: cannot be read (Permission denied): ' in r.stderr, r.stderr

def test_the_advice(tmp_path, monkeypatch):
    "In a source checkout: `make weights`; installed with pip (no checkout around the package): reinstall"
    assert M.weights_advice().startswith('run `make weights` in ')
    monkeypatch.setattr(M, 'weights_dir', tmp_path/'site-packages'/'mnist37'/'weights')
    assert M.weights_advice() == 'reinstall mnist37 (`pip install --force-reinstall mnist37`)'

def test_command(tmp_path, monkeypatch, capsys, good_files):
    "`mnist37 predict` with damaged weights, as a pip user would see it: one line, exit code 1, no traceback"
    weights = tmp_path/'site-packages'/'mnist37'/'weights'; weights.mkdir(parents=True)
    (weights/'10.safetensors').write_bytes(GOOD.read_bytes()[:1000])
    for module in (P, M): monkeypatch.setattr(module, 'weights_dir', weights)  # where `predict` looks, and the advice
    with pytest.raises(SystemExit) as e: main(['predict', str(good_files[0])])
    msg = e.value.code
    assert msg.startswith(f'mnist37: {weights}/10.safetensors: not a readable safetensors file, truncated or damaged (')
    assert msg.endswith('): reinstall mnist37 (`pip install --force-reinstall mnist37`)') and '\n' not in msg, msg
    assert capsys.readouterr().out == ''

def test_shipped_weights_pass():
    "The shipped files pass the check, and it costs little"
    import time
    start = time.perf_counter()
    assert M.check_weights(GOOD) == tuple(range(10)) and M.check_weights(P.weights_dir/'37.safetensors') == (3, 7)
    assert time.perf_counter() - start < 0.5

LADDER_FILES = ['pixel_similarity', 'linear', 'simple_net']   # the small 3-vs-7 models the draw page's ladder runs

@pytest.mark.parametrize('name', LADDER_FILES)
def test_ladder_weights(tmp_path, name):
    """The ladder's small files pass the check of the model they hold, and fail, in one line naming the file, as the
    file of another model or cut short"""
    from mnist37.ladder import LADDER, ladder_model
    make = LADDER[name]['make']
    fn = P.weights_dir/f'{name}.safetensors'
    assert M.check_weights(fn, make) == (3, 7)
    model = ladder_model.__wrapped__(name)   # built afresh, not from the cache
    assert not model.training and all(t.isfinite().all() for t in model.state_dict().values())
    with pytest.raises(M.WeightsError, match=rf'^{GOOD}: \d+ tensors missing') as e: M.check_weights(GOOD, make)
    assert '\n' not in str(e.value)
    cut = tmp_path/fn.name
    cut.write_bytes(fn.read_bytes()[:len(fn.read_bytes())//2])
    with pytest.raises(M.WeightsError, match=rf'^{cut}: not a readable safetensors file'): ladder_model.__wrapped__(name, tmp_path)
