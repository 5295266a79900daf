"""The MNIST cache under bad conditions (issue 16): checked on load, rebuilt when wrong, never fatal to write.

Every test works on a small fake dataset laid out like fastai's `mnist_sample` (`train/3`, `train/7`, `valid/3`,
`valid/7`, a few PNGs each) in a temporary folder, and the command-line tests on a temporary `FASTAI_HOME`: the real
data and its cache are never touched.
"""
import errno, os, subprocess, sys
from pathlib import Path
import numpy as np, pytest, torch
from PIL import Image
from safetensors.torch import save_file, load_file
import mnist37.cache as D
from conftest import MNIST37, unprivileged

FOLDERS = ('train/3', 'train/7', 'valid/3', 'valid/7')

def make_dataset(path:Path, n:int=4)->Path:
    "A fake dataset: `n` random 28x28 greyscale PNGs in each folder of `FOLDERS`"
    rng = np.random.default_rng(0)
    for k in FOLDERS:
        (path/k).mkdir(parents=True)
        for i in range(n): Image.fromarray(rng.integers(0, 256, (28, 28), dtype=np.uint8)).save(path/k/f'{i}.png')
    return path

@pytest.fixture
def data(tmp_path): return make_dataset(tmp_path/'mnist_sample')

def pngs(path, k): return torch.from_numpy(np.stack([np.array(Image.open(f)) for f in sorted((path/k).glob('*.png'))]))

def warnings_of(capsys)->list:
    out = capsys.readouterr(); return out.err.splitlines()

def built(data, capsys)->dict:
    "Build the cache (checked against the PNGs), and forget what that printed"
    digits = D.digit_tensors(data); capsys.readouterr()
    return digits

# --- building and loading -------------------------------------------------------------------------------------

@pytest.mark.parametrize('umask', [0o022, 0o002, 0o077])
def test_first_build(data, capsys, umask):
    "Decoded from the PNGs, written atomically (no temporary file left), as an ordinary file the umask decides"
    old = os.umask(umask)
    try: digits = D.digit_tensors(data)
    finally: os.umask(old)
    assert list(digits) == list(FOLDERS) and all(torch.equal(digits[k], pngs(data, k)) for k in FOLDERS)
    assert (data/D.CACHE).stat().st_mode & 0o777 == 0o666 & ~umask
    assert [p.name for p in data.iterdir() if p.is_file()] == [D.CACHE]
    assert capsys.readouterr().err == ''

def test_warm_load(data, capsys, monkeypatch):
    "A sound cache is used as it is: no PNG is decoded, nothing is printed"
    first = built(data, capsys)
    monkeypatch.setattr(D, '_decode', lambda *a, **k: pytest.fail('decoded again'))
    again = D.digit_tensors(data)
    assert list(again) == list(first) and all(torch.equal(again[k], first[k]) for k in first)
    assert capsys.readouterr().err == ''

# --- a cache that must not be used ---------------------------------------------------------------------------

def _cut(c): c.write_bytes(c.read_bytes()[:len(c.read_bytes())//2])
def _fingerprinted(data, tensors):
    return lambda c: save_file(tensors, str(c), metadata={'fingerprint': D.fingerprint(D.dataset_listing(data))})

BROKEN = [  # (name, how to break the cache, words of the warning)
    ('cut in half', lambda data: _cut, 'not a readable safetensors file, truncated or damaged'),
    ('cut to 10 bytes', lambda data: lambda c: c.write_bytes(c.read_bytes()[:10]), 'truncated or damaged'),
    ('empty', lambda data: lambda c: c.write_bytes(b''), 'truncated or damaged'),
    ('garbage', lambda data: lambda c: c.write_bytes(os.urandom(3000)), 'not a readable safetensors file'),
    ('a text file', lambda data: lambda c: c.write_text('cache'), 'not a readable safetensors file'),
    ('no metadata (an older mnist37)', lambda data: lambda c: save_file(load_file(c), str(c)), 'made by an older mnist37'),
    ('another dataset\'s', lambda data: lambda c: save_file(load_file(c), str(c), metadata={'fingerprint': '0'*32}),
     'made from other files than the dataset holds now'),
    ('a folder missing', lambda data: _fingerprinted(data, {k: v for k, v in load_file(data/D.CACHE).items() if k != 'valid/7'}),
     "holds ['train/3', 'train/7', 'valid/3'], not the dataset's"),
    ('a wrong dtype', lambda data: _fingerprinted(data, {**load_file(data/D.CACHE), 'train/3': torch.zeros(4, 28, 28)}),
     'train/3 is F32 [4, 28, 28], not U8 [4, 28, 28]'),
    ('a wrong shape', lambda data: _fingerprinted(data, {**load_file(data/D.CACHE), 'valid/3': torch.zeros(3, 28, 28, dtype=torch.uint8)}),
     'valid/3 is U8 [3, 28, 28], not U8 [4, 28, 28]'),
    ('images of another size', lambda data: _fingerprinted(data, {**load_file(data/D.CACHE), 'valid/7': torch.zeros(4, 32, 32, dtype=torch.uint8)}),
     'valid/7 is U8 [4, 32, 32]'),
]

@pytest.mark.parametrize('i', range(len(BROKEN)), ids=[b[0] for b in BROKEN])
def test_broken_cache(data, capsys, i):
    "One warning line naming the cache and what is wrong, then the cache is rebuilt and right"
    name, breaker, words = BROKEN[i]
    first = built(data, capsys)
    breaker(data)(data/D.CACHE)
    digits = D.digit_tensors(data)
    lines = warnings_of(capsys)
    assert len(lines) == 1 and lines[0].startswith(f'mnist37: {data/D.CACHE}: ') and words in lines[0], lines
    assert lines[0].endswith(': rebuilding it from the PNGs')
    assert all(torch.equal(digits[k], first[k]) for k in FOLDERS)
    assert D.cache_problem(data/D.CACHE, D.dataset_listing(data)) is None   # repaired
    D.digit_tensors(data); assert capsys.readouterr().err == ''

@pytest.mark.parametrize('change', ['add', 'delete', 'rename', 'replace', 'add to a new folder'])
def test_dataset_changed(data, capsys, change):
    "The fingerprint notices a PNG added, deleted, renamed or replaced by one of another size, or a new digit folder"
    built(data, capsys)
    folder = data/'train'/'3'
    if change == 'add': (folder/'9.png').write_bytes((folder/'0.png').read_bytes())
    if change == 'delete': (folder/'0.png').unlink()
    if change == 'rename': (folder/'0.png').rename(folder/'00.png')
    if change == 'replace': Image.new('L', (28, 28), 255).save(folder/'0.png')   # all white: a smaller file
    if change == 'add to a new folder': (data/'train'/'5').mkdir(); (data/'train'/'5'/'0.png').write_bytes((folder/'0.png').read_bytes())
    digits = D.digit_tensors(data)
    assert warnings_of(capsys) == [f'mnist37: {data/D.CACHE}: made from other files than the dataset holds now: rebuilding it from the PNGs']
    assert all(torch.equal(digits[k], pngs(data, k)) for k in digits)
    assert len(digits['train/3']) == {'add': 5, 'delete': 3}.get(change, 4)

def test_hidden_files_ignored(data, capsys):
    "`.DS_Store` and other hidden files are not digits, and do not change the fingerprint"
    first = built(data, capsys)
    (data/'train'/'3'/'.DS_Store').write_bytes(b'\0\0\0\1Bud1'); (data/'.hidden').mkdir()
    assert list(D.digit_tensors(data)) == list(first) and capsys.readouterr().err == ''

def test_unreadable_cache(data, capsys):
    "A cache that cannot be read (no permission): a warning, the data decoded again, the cache written anew"
    built(data, capsys)
    (data/D.CACHE).chmod(0)
    code = f"import mnist37.cache as D; d = D.digit_tensors({str(data)!r}); print(sorted(d))"
    r = subprocess.run(unprivileged([sys.executable, '-c', code]), capture_output=True, text=True, timeout=120)
    assert r.stdout.strip() == str(sorted(FOLDERS)), r.stderr
    assert r.stderr.splitlines() == [f'mnist37: {data/D.CACHE}: cannot be read (Permission denied): rebuilding it from the PNGs']
    assert (data/D.CACHE).stat().st_mode & 0o777 != 0   # replaced by a readable file

# --- a cache that cannot be written --------------------------------------------------------------------------

class _FullDisk:
    "A file whose writes fail as on a full disk"
    def __init__(self, fn, mode): self.f = open(fn, mode)
    def __enter__(self): return self
    def __exit__(self, *a): self.f.close()
    def write(self, b): raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

def test_disk_full(data, capsys, monkeypatch):
    "Writing fails: one warning, the decoded digits are returned all the same, no temporary file is left"
    monkeypatch.setattr(D, 'open', _FullDisk, raising=False)
    digits = D.digit_tensors(data)
    assert all(torch.equal(digits[k], pngs(data, k)) for k in FOLDERS)
    assert warnings_of(capsys) == [f'mnist37: {data/D.CACHE}: cannot be written (No space left on device): '
                                   'the PNGs will be decoded again next time']
    assert [p.name for p in data.iterdir() if p.is_file()] == []

def test_read_only_folder(data):
    "A dataset folder the user cannot write to (a shared, read-only copy): a warning, and the data"
    data.chmod(0o555)
    try:
        code = f"import mnist37.cache as D; d = D.digit_tensors({str(data)!r}); print({{k: tuple(v.shape) for k,v in d.items()}})"
        r = subprocess.run(unprivileged([sys.executable, '-c', code]), capture_output=True, text=True, timeout=120)
    finally: data.chmod(0o755)
    assert r.stdout.strip() == str({k: (4, 28, 28) for k in FOLDERS}), r.stderr
    assert r.stderr.splitlines() == [f'mnist37: {data/D.CACHE}: cannot be written (Permission denied): '
                                     'the PNGs will be decoded again next time']

def test_cache_is_a_folder(data, capsys):
    "A folder where the cache should be: it can be neither read nor replaced; two warnings, and the data"
    (data/D.CACHE).mkdir()
    digits = D.digit_tensors(data)
    assert list(digits) == list(FOLDERS)
    lines = warnings_of(capsys)
    assert len(lines) == 2 and 'rebuilding it' in lines[0] and 'cannot be written' in lines[1], lines

# --- a dataset with something else in it ---------------------------------------------------------------------

def _rgb(p): Image.new('RGB', (28, 28)).save(p)
def _big(p): Image.new('L', (29, 28)).save(p)
def _deep(p): Image.fromarray(np.zeros((28, 28), np.uint16)).save(p)

STRAYS = [  # (name, file name, how to make it, words of the message)
    ('a text file', 'notes.txt', lambda p: p.write_text('to do'), 'not a readable PNG (UnidentifiedImageError)'),
    ('an empty file', 'empty.png', lambda p: p.write_bytes(b''), 'not a readable PNG'),
    ('an RGB PNG', 'rgb.png', _rgb, 'a 28x28 image in mode RGB'),
    ('a 29x28 PNG', 'big.png', _big, 'a 29x28 image in mode L'),
    ('a 16-bit PNG', 'deep.png', _deep, 'a 28x28 image in mode I;16'),
    ('a JPEG', 'photo.jpg', lambda p: Image.new('L', (28, 28)).save(p, 'JPEG'), 'not a readable PNG'),
    ('a PNG cut short', 'cut.png', lambda p: p.write_bytes((p.parent/'0.png').read_bytes()[:60]), 'not a readable PNG'),
    ('a folder', 'more', lambda p: p.mkdir(), 'not a readable PNG (Is a directory)'),
]

@pytest.mark.parametrize('i', range(len(STRAYS)), ids=[s[0] for s in STRAYS])
def test_stray_file(data, i):
    "A file that is not one of MNIST's digits: one line naming it and saying what to do"
    name, fn, make, words = STRAYS[i]
    make(data/'valid'/'7'/fn)
    with pytest.raises(D.BadDataset) as e: D.digit_tensors(data)
    msg = str(e.value)
    assert msg.startswith(f'{data}/valid/7/{fn}: ') and words in msg and '\n' not in msg, msg
    assert msg.endswith(f'move it out of the dataset (or delete the dataset folder, {data}, to download it again)')

def test_no_digit_folders(tmp_path):
    (tmp_path/'empty').mkdir()
    with pytest.raises(D.BadDataset, match='no <split>/<digit>/ folders of PNGs'): D.digit_tensors(tmp_path/'empty')

# --- the command, on a temporary FASTAI_HOME -----------------------------------------------------------------

def report(home:Path)->subprocess.CompletedProcess:
    "`mnist37 report` on the fake sample, its quickest row only, with fastai's data folder in `home`"
    env = {**os.environ, 'FASTAI_HOME': str(home), 'OMP_NUM_THREADS': '1'}
    return subprocess.run([MNIST37, 'report', '--json', '--quiet', '--only', 'pixel similarity'], capture_output=True,
                          text=True, env=env, timeout=120)

def test_command(tmp_path):
    "A broken cache: one warning line and the report; a stray file: one line naming it, exit code 1, no traceback"
    data = make_dataset(tmp_path/'data'/'mnist_sample', n=6)
    (data/D.CACHE).write_bytes(b'\0'*100)
    r = report(tmp_path)
    assert r.returncode == 0 and '"approach": "pixel similarity"' in r.stdout, r.stderr
    lines = r.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f'mnist37: {data/D.CACHE}: not a readable safetensors file, truncated or damaged (')
    assert lines[0].endswith('): rebuilding it from the PNGs')
    (data/'train'/'7'/'notes.txt').write_text('hello')
    r = report(tmp_path)
    assert r.returncode == 1 and r.stdout == '' and 'Traceback' not in r.stderr
    assert r.stderr.splitlines()[-1].startswith(f'mnist37: {data}/train/7/notes.txt: not a readable PNG'), r.stderr
