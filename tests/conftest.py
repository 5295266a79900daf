"""Shared by the tests of bad input (issue 16) and of the draw page: two digits drawn as a person draws them, and the console script.

The digits are drawn here with Pillow (the strokes test_draw.py also draws on the page's pad, an 18-pixel round pen on a
280x280 white pad), so these tests need neither MNIST nor fastai.
"""
import io, os, shutil, sys
from pathlib import Path
import pytest

SEVEN = [[(70, 60), (210, 60), (120, 235)]]
THREE = [[(80, 70), (130, 45), (190, 60), (200, 105), (140, 140), (205, 170), (200, 225), (130, 245), (75, 220)]]
MNIST37 = str(Path(sys.executable).with_name('mnist37'))   # the console script of this environment

def draw(strokes):
    "A PIL image (mode L) of `strokes` drawn in black on a white 280x280 pad"
    from PIL import Image, ImageDraw
    im = Image.new('L', (280, 280), 255)
    d = ImageDraw.Draw(im)
    for s in strokes:
        d.line(s, fill=0, width=18, joint='curve')
        for x, y in s: d.ellipse((x-9, y-9, x+9, y+9), fill=0)
    return im

def png_bytes(im, fmt='PNG', **kw)->bytes:
    buf = io.BytesIO(); im.save(buf, fmt, **kw); return buf.getvalue()

@pytest.fixture(scope='session')
def three(): return draw(THREE)

@pytest.fixture(scope='session')
def seven(): return draw(SEVEN)

@pytest.fixture(scope='session')
def good_files(tmp_path_factory, three, seven):
    "`(three.png, seven.png)`: two files `predict` reads as 3 and 7, sure of both"
    d = tmp_path_factory.mktemp('good')
    three.save(d/'three.png'); seven.save(d/'seven.png')
    return d/'three.png', d/'seven.png'

def unprivileged(cmd:list)->list:
    """`cmd` run so that file permissions apply to it: as it is for an ordinary user; for root, under `setpriv` without
    the capabilities that let root read and write any file (a test of "permission denied" is skipped if neither works)"""
    if os.geteuid() != 0: return cmd
    if not shutil.which('setpriv'): pytest.skip('running as root, and no setpriv to drop the capability to read any file')
    return ['setpriv', '--bounding-set', '-dac_override,-dac_read_search', '--', *cmd]
