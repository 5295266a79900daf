"""Nothing crashes, nothing is lost (issue 16): `predict` and `mnist37 predict` under bad input.

A corpus of bad inputs is built here, in a temporary folder: things that are not files, files that are not images,
images in formats `predict` refuses, damaged and truncated images, decompression bombs, float images holding NaN, odd
file names. Each must give one line, `mnist37: PATH: what is wrong and what to do`, while the good files of the same
batch are still predicted. Files that look odd but are pictures (float TIFFs, 16-bit PNGs, CMYK JPEGs...) must be read.
A property test then mutates the bytes of good images in every format `predict` reads.
"""
import io, os, random, socket, struct, subprocess, sys, tempfile, warnings
from pathlib import Path
import numpy as np, pytest, torch
from PIL import Image
from conftest import MNIST37, THREE, draw, png_bytes, unprivileged
from mnist37.cli import one_line
from mnist37.image_file import BadImage, open_digit
from mnist37.mnist_style import Blank, mnist_style
from mnist37.predict import predict, unsure_reason
from mnist37.image_file import IMAGE_FORMATS

# --- the corpus: (name, how to make it in a folder, a few words its message must hold) -------------------------

def _write(name, data):
    def make(d, good):
        p = d/name
        p.write_bytes(data(good) if callable(data) else data)
        return p
    return make

def _png_with(good, i, xor=0xff, cut=None):
    "The good PNG with byte `i` flipped, or cut after `cut` bytes"
    b = bytearray(good)
    if cut is not None: return bytes(b[:cut])
    b[i] ^= xor; return bytes(b)

def _chunk(kind, data):
    import struct, zlib
    return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data))

def _header_only_png(w, h, data=False):
    "A PNG whose header claims `w`x`h` grey pixels (valid checksums); with `data`, a tiny image data chunk and the end"
    import struct, zlib
    png = b'\x89PNG\r\n\x1a\n' + _chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 0, 0, 0, 0))
    return png + _chunk(b'IDAT', zlib.compress(b'\0\0')) + _chunk(b'IEND', b'') if data else png

def _gif_bomb(g):
    "A 1x1 GIF whose logical screen claims 65535x65535 pixels"
    b = bytearray(png_bytes(Image.new('L', (1, 1)), 'GIF')); b[6:10] = b'\xff\xff\xff\xff'
    return bytes(b)

def _image(fmt, mode='L', size=(280, 280), cut=None, **kw):
    "`make` for the good 3 saved as `fmt` (converted to `mode`), cut to `cut` bytes when given"
    def data(good):
        im = Image.open(io.BytesIO(good)).convert(mode) if mode != 'keep' else Image.open(io.BytesIO(good))
        if size != im.size: im = im.resize(size)
        b = png_bytes(im, fmt, **kw)
        return b[:cut] if cut else b
    return data

def _float_tiff(value):
    def data(good):
        a = np.asarray(Image.open(io.BytesIO(good)), np.float32)/255
        a[100:110, 100:110] = value
        return png_bytes(Image.fromarray(a), 'TIFF')
    return data

def _tiff_bad_deflate(good):
    "A deflate-compressed TIFF whose compressed data is zeroed: libtiff complains on stderr while failing"
    b = bytearray(png_bytes(Image.open(io.BytesIO(good)), 'TIFF', compression='tiff_deflate'))
    b[8:200] = bytes(192)
    return bytes(b)

def _fifo(d, good):
    os.mkfifo(d/'fifo.png'); return d/'fifo.png'

def _socket(d, good):
    s = socket.socket(socket.AF_UNIX); s.bind(str(d/'socket.png')); _socket.keep = s   # kept open for the test
    return d/'socket.png'

def _symlink(target, name):
    def make(d, good):
        os.symlink(target if isinstance(target, str) else d/target, d/name); return d/name
    return make

def _dir(d, good):
    (d/'folder.png').mkdir(); return d/'folder.png'

def _long_name(d, good): return d/('x'*300 + '.png')

def _long_path(d, good): return d/'/'.join(['y'*200]*25)

def _through_file(d, good):
    (d/'afile.png').write_bytes(good); return d/'afile.png'/'inside.png'

def _newline_name(d, good):
    p = d/'two\nlines\t.png'; p.write_text('not an image'); return p

def _bytes_name(d, good):
    p = os.fsencode(d) + b'/latin1_\xe9t\xe9.png'; open(p, 'wb').write(b'GIF89a\x01'); return p

# --- files that Pillow cannot write: drawn here byte by byte ---------------------------------------------------

def _greys(good): return np.asarray(Image.open(io.BytesIO(good)).convert('L'))

def _tiff(data, w, h, bits, sample_format=1):
    "An uncompressed one-strip greyscale TIFF of `bits` per sample (SampleFormat 1: integers, 3: floats)"
    tags = [(256, w), (257, h), (258, bits), (259, 1), (262, 1), (273, 0), (277, 1), (278, h), (279, len(data)),
            (339, sample_format)]
    start = 8 + 2 + 12*len(tags) + 4   # the pixels follow the one IFD
    ifd = b''.join(struct.pack('<HHII', t, 4, 1, start if t == 273 else v) for t, v in tags)
    return b'II*\0' + struct.pack('<IH', 8, len(tags)) + ifd + bytes(4) + data

def _tiff12(good):
    "The 3 as a 12-bit TIFF (0 to 4,095), two pixels packed in three bytes, as 12-bit cameras and scanners write it"
    a = (_greys(good).astype(np.uint32)*4095 + 127)//255
    p = a.reshape(-1, 2)
    packed = np.stack([p[:, 0] >> 4, (p[:, 0] & 15) << 4 | p[:, 1] >> 8, p[:, 1] & 255], 1).astype(np.uint8)
    return _tiff(packed.tobytes(), a.shape[1], a.shape[0], 12)

def _tiff_f64(good):
    a = _greys(good).astype('<f8')/255
    return _tiff(a.tobytes(), a.shape[1], a.shape[0], 64, sample_format=3)

def _bmp32(rgba):
    "A 32-bit BMP with a V4 header whose bit masks include alpha (what Pillow reads as RGBA)"
    h, w = rgba.shape[:2]
    px = rgba[::-1][..., [2, 1, 0, 3]].tobytes()   # rows bottom-up, each pixel B, G, R, A
    info = struct.pack('<IiiHHIIiiII4I', 108, w, h, 1, 32, 3, len(px), 2835, 2835, 0, 0,
                       0xff0000, 0xff00, 0xff, 0xff000000) + b'BGRs' + bytes(48)
    return b'BM' + struct.pack('<IHHI', 14 + len(info) + len(px), 0, 0, 14 + len(info)) + info + px

def _bmp_alpha0(good):
    "The 3 in a 32-bit BMP whose alpha is 0 everywhere (browsers ignore such an alpha and show the picture)"
    return _bmp32(np.dstack([np.repeat(_greys(good)[..., None], 3, 2), np.zeros(_greys(good).shape, np.uint8)]))

def _canvas(colour):
    "The 3 as an HTML canvas exports it: strokes in alpha (255 on them, 0 elsewhere), colour `white`, `white on strokes` or `black`"
    def data(good):
        alpha = 255 - _greys(good)
        rgb = {'white': np.full_like(alpha, 255), 'white on strokes': np.where(alpha > 0, 255, 0).astype(np.uint8),
               'black': np.zeros_like(alpha)}[colour]
        return png_bytes(Image.fromarray(np.dstack([rgb, rgb, rgb, alpha]), 'RGBA'))
    return data

def _png_text(kind, after_pixels=False):
    "The good PNG with 2 MiB of text in one compressed chunk, `zTXt` or `iTXt`, before or after the image data"
    def data(good):
        from PIL import PngImagePlugin
        info = PngImagePlugin.PngInfo()
        (info.add_text if kind == 'zTXt' else info.add_itxt)('Comment', 'history '*(2**18), zip=True)
        b = png_bytes(Image.open(io.BytesIO(good)), pnginfo=info)
        if not after_pixels: return b
        text = b.index(kind.encode()) - 4
        n = int.from_bytes(b[text:text+4], 'big') + 12
        chunk, rest = b[text:text+n], b[:text] + b[text+n:]
        return rest[:-12] + chunk + rest[-12:]   # moved before IEND
    return data

BAD = [  # (name, make, words of the message)
    ('missing', lambda d, g: d/'missing.png', 'no such file'),
    ('missing, in a missing folder', lambda d, g: d/'nowhere'/'missing.png', 'no such file'),
    ('empty name', lambda d, g: '', 'no such file'),
    ('a folder', _dir, 'a folder, not an image file'),
    ('a FIFO', _fifo, 'not a regular file'),
    ('a socket', _socket, 'not a regular file'),
    ('/dev/zero', lambda d, g: '/dev/zero', 'not a regular file'),
    ('/dev/null', lambda d, g: '/dev/null', 'not a regular file'),
    ('a broken symbolic link', _symlink('gone.png', 'broken.png'), 'symbolic link to a file that does not exist'),
    ('a loop of symbolic links', _symlink('loop.png', 'loop.png'), 'loop of symbolic links'),
    ('a path through a file', _through_file, 'a part of its path is a file'),
    ('a 300-character name', _long_name, 'file name too long'),
    ('a 5,000-character path', _long_path, 'too long'),
    ('a name with a newline and a tab', _newline_name, 'not an image'),
    ('a name that is not UTF-8', _bytes_name, 'a damaged GIF file'),
    ('an empty file', _write('empty.png', b''), 'empty file'),
    ('text', _write('notes.png', b'not a digit, just some words\n'), 'not an image predict can read'),
    ('random bytes', _write('random.jpg', bytes(random.Random(0).randrange(256) for _ in range(5000))), 'not an image'),
    ('HTML', _write('page.png', b'<!DOCTYPE html><html><body><img src="3.png"></body></html>'), 'not an image'),
    ('JSON', _write('digit.json', b'{"digit": 3}'), 'not an image'),
    ('one zero byte', _write('zero.png', b'\0'), 'not an image'),
    ('EPS', _write('three.eps', _image('EPS', 'RGB')), 'in PostScript (EPS) format: predict reads only'),
    ('EPS, binary header', _write('bin.eps', b'\xc5\xd0\xd3\xc6' + bytes(28) + b'%!PS-Adobe-3.0 EPSF-3.0\n'), 'in EPS format'),
    ('PDF', _write('three.pdf', _image('PDF', 'RGB')), 'in PDF format'),
    ('SVG', _write('three.svg', b'<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0L9 9"/></svg>'), 'in SVG format'),
    ('ZIP', _write('three.zip', b'PK\x03\x04' + bytes(40)), 'in ZIP format'),
    ('Photoshop', _write('three.psd', b'8BPS\x00\x01' + bytes(40)), 'in Photoshop (PSD) format'),
    ('ICO', _write('three.ico', _image('ICO', size=(64, 64))), 'in ICO format'),
    ('HEIC', _write('photo.heic', b'\0\0\0\x18ftypheic' + bytes(40)), 'in HEIC format'),
    ('AVIF', _write('three.avif', b'\0\0\0\x20ftypavif' + bytes(40)), 'in AVIF format'),
    ('JPEG 2000', _write('three.jp2', b'\0\0\0\x0cjP  \r\n\x87\n' + bytes(40)), 'in JPEG 2000 format'),
    ('TGA', _write('three.tga', _image('TGA', size=(64, 64))), 'not an image predict can read'),
    ('PCX', _write('three.pcx', _image('PCX', size=(64, 64))), 'not an image predict can read'),
    ('XBM', _write('three.xbm', _image('XBM', '1', size=(64, 64))), 'not an image predict can read'),
    ('SGI', _write('three.sgi', _image('SGI', size=(64, 64))), 'not an image predict can read'),
    ('DDS', _write('three.dds', _image('DDS', 'RGB', size=(64, 64))), 'not an image predict can read'),
    ('PNG, first half', _write('half.png', lambda g: g[:len(g)//2]), 'cut short or damaged'),
    ('PNG, signature only', _write('sig.png', b'\x89PNG\r\n\x1a\n'), 'a damaged PNG file'),
    ('PNG, header CRC wrong', _write('crc.png', lambda g: _png_with(g, 29)), 'a damaged PNG file'),
    ('PNG, a data byte flipped', _write('flip.png', lambda g: _png_with(g, len(g)-20)), 'cut short or damaged'),
    ('PNG, width 0', _write('w0.png', _header_only_png(0, 28)), 'a damaged PNG file'),
    ('PNG, header only', _write('hdr.png', _header_only_png(28, 28)), 'a damaged PNG file'),
    ('PNG, no pixels in its data', _write('nodata.png', _header_only_png(28, 28, data=True)), 'cut short or damaged'),
    ('JPEG, first half', _write('half.jpg', lambda g: _image('JPEG')(g)[:1500]), 'cut short or damaged'),
    ('JPEG, marker only', _write('soi.jpg', b'\xff\xd8\xff\xe0'), 'damaged JPEG'),
    ('GIF, first half', _write('half.gif', _image('GIF', cut=300)), 'cut short or damaged'),
    ('BMP, first half', _write('half.bmp', _image('BMP', cut=3000)), 'cut short or damaged'),
    ('TIFF, first half', _write('half.tif', _image('TIFF', cut=3000)), 'cut short or damaged'),
    ('TIFF, deflate data zeroed', _write('zeroed.tif', _tiff_bad_deflate), 'cut short or damaged'),
    ('WebP, first half', _write('half.webp', lambda g: _image('WEBP')(g)[:200]), 'cut short or damaged'),
    ('PPM, first half', _write('half.ppm', _image('PPM', cut=3000)), 'cut short or damaged'),
    ('PPM, nonsense header', _write('bad.ppm', b'P5\n28 28\n0\n' + bytes(784)), 'damaged'),
    ('PNG bomb, 20000x20000', _write('bomb.png', lambda g: png_bytes(Image.new('1', (20000, 20000)))), 'too large'),
    ('PNG bomb, 100000x100000, 60 bytes', _write('huge.png', _header_only_png(100000, 100000, data=True)), 'too large'),
    ('GIF bomb', _write('bomb.gif', _gif_bomb), 'too large'),
    ('float TIFF with NaN', _write('nan.tif', _float_tiff(np.nan)), 'NaN or infinite'),
    ('float TIFF with +Inf', _write('inf.tif', _float_tiff(np.inf)), 'NaN or infinite'),
    ('float TIFF with -Inf', _write('minf.tif', _float_tiff(-np.inf)), 'NaN or infinite'),
    ('LAB TIFF', _write('lab.tif', lambda g: png_bytes(Image.new('LAB', (64, 64)), 'TIFF')), 'cannot be made grey'),
    ('64-bit float TIFF', _write('f64.tif', _tiff_f64), 'a 64-bit floating-point TIFF, which this reader cannot decode'),
]

def _i16(g): return png_bytes(Image.fromarray(np.asarray(Image.open(io.BytesIO(g)), np.uint16)*257))
def _float(scale, offset=0):
    return lambda g: png_bytes(Image.fromarray(np.asarray(Image.open(io.BytesIO(g)), np.float32)/255*scale + offset), 'TIFF')
def _int32(g): return png_bytes(Image.fromarray(np.asarray(Image.open(io.BytesIO(g)), np.int32)*1000 - 100000), 'TIFF')
def _exif_rotated(g):
    im = Image.open(io.BytesIO(g)).rotate(90, expand=True)   # stored on its side, EXIF says "rotate back"
    exif = Image.Exif(); exif[0x0112] = 6
    return png_bytes(im, 'JPEG', exif=exif)

def _dots(n, at):
    "A 1-pixel-high white line of `n` pixels with black dots at `at`"
    return lambda g: png_bytes(Image.fromarray(np.where(np.isin(np.arange(n), at), 0, 255).astype(np.uint8)[None]))

READABLE = [  # (name, make, digit): pictures of the 3 in every shape `predict` reads; `None`: blank; '?': not sure
    ('float TIFF, 0 to 1', _write('f01.tif', _float(1)), 3),
    ('float TIFF, 0 to 1000', _write('f1000.tif', _float(1000)), 3),
    ('float TIFF, -5 to 5', _write('fneg.tif', _float(10, -5)), 3),
    ('32-bit TIFF, negative', _write('i32.tif', _int32), 3),
    ('16-bit PNG', _write('i16.png', _i16), 3),
    ('CMYK JPEG', _write('cmyk.jpg', _image('JPEG', 'CMYK')), 3),
    ('1-bit PNG', _write('bits.png', _image('PNG', '1')), 3),
    ('palette GIF', _write('p.gif', _image('GIF', 'P')), 3),
    ('LA PNG', _write('la.png', _image('PNG', 'LA')), 3),
    ('BMP', _write('three.bmp', _image('BMP')), 3),
    ('WebP', _write('three.webp', _image('WEBP', 'RGB', lossless=True)), 3),
    ('PPM', _write('three.ppm', _image('PPM', 'RGB')), 3),
    ('TIFF, LZW', _write('lzw.tif', _image('TIFF', compression='tiff_lzw')), 3),
    ('JPEG, EXIF rotated', _write('rot.jpg', _exif_rotated), 3),
    ('a PNG named .jpg', _write('png_named.jpg', lambda g: g), 3),
    ('1x1 pixel', _write('dot.png', lambda g: png_bytes(Image.new('L', (1, 1)))), None),
    ('two dots, 2,500 pixels apart', _write('dots.png', _dots(5000, [1, 2501])), '?'),
    ('two dots, 100,000 pixels apart', _write('far.png', _dots(100002, [1, 100001])), None),
    ('blank float TIFF', _write('blank.tif', lambda g: png_bytes(Image.new('F', (50, 50), 0.5), 'TIFF')), None),
    ('white pen on a transparent canvas', _write('canvas_white.png', _canvas('white')), 3),
    ('white strokes, black elsewhere, transparent', _write('canvas_strokes.png', _canvas('white on strokes')), 3),
    ('dark pen on a transparent canvas', _write('canvas_dark.png', _canvas('black')), 3),
    ('12-bit TIFF', _write('i12.tif', _tiff12), 3),
    ('16-bit TIFF', _write('i16.tif', lambda g: png_bytes(Image.fromarray(_greys(g).astype(np.uint16)*257), 'TIFF')), 3),
    ('32-bit BMP, alpha 0 everywhere', _write('alpha0.bmp', _bmp_alpha0), 3),
    ('PNG, 2 MiB of zTXt text', _write('ztxt.png', _png_text('zTXt')), 3),
    ('PNG, 2 MiB of iTXt text after the pixels', _write('itxt.png', _png_text('iTXt', after_pixels=True)), 3),
]

def build(cases, d, good):
    "Make every case in `d`: `[(name, path, expected)]`"
    return [(name, make(d, good), want) for name, make, want in cases]

@pytest.fixture(scope='module')
def corpus(tmp_path_factory, good_files):
    d = tmp_path_factory.mktemp('bad')
    good = good_files[0].read_bytes()
    return build(BAD, d, good), build(READABLE, d, good)

def shown(path)->str: return one_line(os.fsdecode(path))

# --- the checks ----------------------------------------------------------------------------------------------

def test_corpus_size(corpus):
    bad, readable = corpus
    assert len(bad) >= 58, len(bad)   # the issue tried 58 hand-made bad inputs
    assert len({shown(p) for _, p, _ in bad}) == len(bad), 'two cases share a path'

@pytest.mark.parametrize('i', range(len(BAD)), ids=[name for name, _, _ in BAD])
def test_bad_file(corpus, good_files, i):
    "Each bad file alone between two good ones: one error naming the problem, the good ones predicted"
    name, path, words = corpus[0][i]
    res = predict([good_files[0], path, good_files[1]])
    assert [r.get('digit') for r in (res[0], res[2])] == [3, 7] and res[0]['sure'] and res[2]['sure']
    assert list(res[1]) == ['path', 'error'], res[1]
    assert words in res[1]['error'], (name, res[1]['error'])
    assert res[1]['path'] == ('' if path == '' else os.fsdecode(path))

@pytest.mark.parametrize('i', range(len(READABLE)), ids=[name for name, _, _ in READABLE])
def test_readable_file(corpus, i):
    "Odd but genuine pictures: read, and the 3 recognised (or, with no digit on them, `digit: None`, not sure)"
    name, path, digit = corpus[1][i]
    r, = predict([path])
    assert 'error' not in r, (name, r)
    if digit == '?': assert not r['sure'], (name, r); return
    assert r['digit'] == digit, (name, r)
    if digit is None: assert not r['sure'] and r['reason'].startswith('blank'), r

def test_cli_batch(corpus, good_files):
    "All bad files in one command, between good ones: exit 1, one stderr line per bad file, every good one predicted"
    bad, readable = corpus
    good = [str(p) for p in good_files]
    args = [*good[:1], *[os.fsencode(p) for _, p, _ in bad], *[str(p) for _, p, _ in readable], *good[1:]]
    r = subprocess.run([MNIST37, 'predict', *args], capture_output=True, timeout=120)
    out, err = r.stdout.decode(), r.stderr.decode()
    assert r.returncode == 1, err
    assert 'Traceback' not in err and 'Warning' not in err, err
    lines = err.splitlines()
    assert len(lines) == len(bad), '\n'.join(lines)   # nothing else on stderr: no warnings, no libtiff chatter
    for (name, path, words), line in zip(bad, lines):
        assert line.startswith(f'mnist37: {shown(path)}: ') and words in line, (name, line)
    rows = [l.split('\t') for l in out.splitlines()]
    assert [row[0] for row in rows] == [good[0], *[shown(p) for _, p, _ in readable], good[1]]
    assert [row[1] for row in rows] == ['3', *[str(d) if d is not None else '?' for _, _, d in readable], '7']
    assert all(len(row) == (3 if row[1] != '?' else 4) for row in rows), rows

def test_permission_denied(good_files, tmp_path):
    "An unreadable file, and a file in a folder without search permission: `permission denied`, as a user sees it"
    (tmp_path/'locked').mkdir(); (tmp_path/'locked'/'three.png').write_bytes(good_files[0].read_bytes())
    (tmp_path/'secret.png').write_bytes(good_files[0].read_bytes())
    (tmp_path/'locked').chmod(0o600); (tmp_path/'secret.png').chmod(0)
    try: r = subprocess.run(unprivileged([MNIST37, 'predict', str(tmp_path/'locked'/'three.png'), str(tmp_path/'secret.png'),
                            str(good_files[0])]), capture_output=True, text=True, timeout=60)
    finally: (tmp_path/'locked').chmod(0o700)
    assert r.returncode == 1 and r.stdout.split('\t')[:2] == [str(good_files[0]), '3'], (r.stdout, r.stderr)
    denied = 'permission denied: make the file readable, and its folders searchable, for you (chmod)'
    assert r.stderr.splitlines() == [f'mnist37: {tmp_path}/locked/three.png: {denied}', f'mnist37: {tmp_path}/secret.png: {denied}']

def test_stdin(good_files):
    "`-` reads one image from stdin; nothing on stdin is one error line; `-` twice is a usage error"
    r = subprocess.run([MNIST37, 'predict', '--json', str(good_files[1]), '-'], input=good_files[0].read_bytes(),
                       capture_output=True, timeout=60)
    assert r.returncode == 0 and [l.split(b'"digit": ')[1][:1] for l in r.stdout.splitlines()] == [b'7', b'3']
    assert b'"path": "-"' in r.stdout.splitlines()[1]
    r = subprocess.run([MNIST37, 'predict', '-'], input=b'', capture_output=True, timeout=60)
    assert (r.returncode, r.stdout, r.stderr.decode().startswith('mnist37: -: empty input')) == (1, b'', True)
    r = subprocess.run([MNIST37, 'predict', '-', '-'], input=b'', capture_output=True, timeout=60)
    assert r.returncode == 2 and b'once' in r.stderr

def test_text_too_big_to_skip(good_files, tmp_path, monkeypatch):
    "A PNG whose text Pillow refuses and which is too big to copy without it: the message says so, not `damaged`"
    import mnist37.image_file as image_file
    (tmp_path/'ztxt.png').write_bytes(_png_text('zTXt')(good_files[0].read_bytes()))
    monkeypatch.setattr(image_file, 'MAX_STREAM_BYTES', 1000)
    with pytest.raises(BadImage, match='text chunks are larger than the reader accepts.*save it again without metadata'):
        open_digit(tmp_path/'ztxt.png')

def test_double_dash(good_files, tmp_path):
    "`mnist37 predict -- -3.png`: after `--`, a name that starts with `-` is a file, as in every Unix command"
    (tmp_path/'-3.png').write_bytes(good_files[0].read_bytes())
    r = subprocess.run([MNIST37, 'predict', '--', '-3.png', str(good_files[1])], capture_output=True, text=True,
                       timeout=60, cwd=tmp_path)
    assert r.returncode == 0 and [l.split('\t')[:2] for l in r.stdout.splitlines()] == [['-3.png', '3'], [str(good_files[1]), '7']], r
    r = subprocess.run([MNIST37, 'predict', '--json', '--', '-'], input=good_files[1].read_bytes(), capture_output=True,
                       timeout=60)   # `-` after `--` is still stdin
    assert r.returncode == 0 and b'"digit": 7' in r.stdout, r

BIG_SCRIPT = """import resource, sys
from mnist37.image_file import open_digit
from mnist37.mnist_style import mnist_style
a = open_digit(sys.argv[1]); im = mnist_style(a)
print(a.shape[0], a.shape[1], resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"""

def test_big_picture(tmp_path):
    "A 7000x7000 PNG, white but for one 3 (a photo's size, under `MAX_PIXELS`): read as a 3, never as 49 million floats"
    page = Image.new('L', (7000, 7000), 255)
    page.paste(draw(THREE).resize((840, 840), Image.LANCZOS), (3000, 2900))
    page.save(tmp_path/'big.png')
    r = subprocess.run([sys.executable, '-c', BIG_SCRIPT, str(tmp_path/'big.png')], capture_output=True, text=True,
                       timeout=120, env={**os.environ, 'OMP_NUM_THREADS': '1'})
    h, w, kb = map(int, r.stdout.split())
    assert 1000 <= min(h, w) and h*w <= 4_000_000, (h, w)   # scaled down before it became floats, thin strokes kept
    assert kb < 1_500_000, f'peak memory {kb/1e6:.2f} GB'   # 3.4 GB when the picture was read at full size
    r, = predict([tmp_path/'big.png'])
    assert (r['digit'], r['sure']) == (3, True), r

def test_report_precision():
    "`mnist37 report --precision`: auto, fp32 or bf16, documented in `--help`; anything else is a usage error"
    r = subprocess.run([MNIST37, 'report', '--help'], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and '--precision {auto,fp32,bf16}' in r.stdout, r.stdout
    r = subprocess.run([MNIST37, 'report', '--precision', 'fp16'], capture_output=True, text=True, timeout=60)
    assert (r.returncode, r.stdout) == (2, '') and "invalid choice: 'fp16'" in r.stderr, r.stderr

def test_closed_pipe(good_files):
    "`mnist37 predict ... | head -1`: one line, and nothing on stderr (no BrokenPipeError)"
    many = ' '.join(['three.png']*1000)   # 1,000 JSON lines: more than a pipe holds, so the writer meets the closed end
    r = subprocess.run(f'set -o pipefail; {MNIST37} predict --json {many} | head -1', shell=True, executable='/bin/bash',
                       capture_output=True, text=True, timeout=120, cwd=good_files[0].parent)
    assert r.stdout.startswith('{"path": "three.png", "digit": 3,') and r.stderr == '', (r.stdout, r.stderr)
    assert r.returncode in (0, 141)

def test_quiet(corpus, capfd):
    "In-process too: no Python warning (DecompressionBombWarning...) and nothing from libtiff reaches stderr"
    bad = {name: p for name, p, _ in corpus[0]}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        big = Path(tempfile.mkdtemp())/'warns.png'; big.write_bytes(png_bytes(Image.new('1', (10000, 9000))))  # over Pillow's warning size
        res = predict([big, bad['TIFF, deflate data zeroed'], bad['PNG bomb, 20000x20000']])
    assert all('error' in r for r in res) and not caught, caught
    assert capfd.readouterr().err == ''

# --- mutated images --------------------------------------------------------------------------------------------

def seeds(three)->list:
    "The good 3, small (so that mutations reach every part of a file), in each format and in the modes `predict` converts"
    im = three.resize((56, 56))
    kw = {'TIFF': dict(compression='tiff_deflate'), 'WEBP': dict(lossless=True), 'JPEG': dict(progressive=True)}
    res = [png_bytes(im.convert('RGB') if f in ('WEBP', 'PPM') else im, f, **kw.get(f, {})) for f in IMAGE_FORMATS]
    deep = np.asarray(im, np.float32)/255
    return res + [png_bytes(im.convert('RGBA')), png_bytes(im.convert('P')), png_bytes(Image.fromarray((deep*65535).astype(np.uint16))),
                  png_bytes(Image.fromarray(deep), 'TIFF'), png_bytes(im.convert('CMYK'), 'JPEG'), png_bytes(im.convert('1'), 'TIFF')]

def check_reading(data:bytes):
    "Reading any bytes: greys in [0,1], or `BadImage`; then a 28x28 image or `Blank`; then a verdict"
    try: a = open_digit(io.BytesIO(data))
    except BadImage: return 'bad'
    assert a.dtype == np.float32 and a.ndim == 2 and np.isfinite(a).all() and 0 <= a.min() <= a.max() <= 1
    try: im = mnist_style(a)
    except Blank: return 'blank'
    assert im.shape == (28, 28) and im.dtype == torch.uint8
    verdict = unsure_reason(im.numpy(), np.array([0.3, 0.7]))
    assert verdict is None or isinstance(verdict, str)
    return 'read'

from hypothesis import given, settings, HealthCheck, strategies as st

@st.composite
def mutated(draw, seeds):
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(1, 6))):
        kind, i = draw(st.sampled_from(['flip', 'cut', 'insert', 'delete'])), draw(st.integers(0, len(data)-1))
        if kind == 'flip': data[i] = draw(st.integers(0, 255))
        elif kind == 'cut': data = data[:max(1, i)]
        elif kind == 'insert': data[i:i] = draw(st.binary(min_size=1, max_size=8))
        elif len(data) > 1: del data[i]
    return bytes(data)

def test_mutated_images(three, tmp_path):
    "Mutated bytes of good images: never an exception other than `BadImage`/`Blank`, never NaN, never a hang"
    outcomes = []
    @settings(max_examples=4000, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None)
    @given(mutated(seeds(three)))
    def check(data): outcomes.append(check_reading(data))
    check()
    counts = {k: outcomes.count(k) for k in ('bad', 'blank', 'read')}
    print(f'\n{len(outcomes)} mutated images: {counts}')
    assert counts['bad'] > 100 and counts['read'] > 100, counts

def test_mutated_images_cli(three, tmp_path):
    "A few mutated files through the command: every file gets one line, on stdout or stderr; no traceback"
    rng, files = random.Random(16), []
    for i, data in enumerate(seeds(three)*3):
        b = bytearray(data)
        for _ in range(rng.randint(1, 4)): b[rng.randrange(len(b))] = rng.randrange(256)
        files.append(tmp_path/f'mutated_{i}.img'); files[-1].write_bytes(bytes(b))
    r = subprocess.run([MNIST37, 'predict', *map(str, files)], capture_output=True, text=True, timeout=120)
    assert r.returncode in (0, 1) and 'Traceback' not in r.stderr, r.stderr
    named = [l.split('\t')[0] for l in r.stdout.splitlines()] + [l.split(': ')[1] for l in r.stderr.splitlines()]
    assert sorted(named) == sorted(map(str, files)), (r.stdout, r.stderr)
