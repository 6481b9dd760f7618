"""Each notebook's first cell installs the course where it is missing (a fresh Colab or Kaggle
kernel): run one chapter in a fresh virtual environment without resnet_course, with
RESNET_COURSE_PIP pointing at a wheel of this checkout. The environment sees this one's other
packages (torch, fastai, ...) through links, so that only the course itself is installed."""
import os, subprocess, sys, sysconfig
from pathlib import Path
import pytest

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]

def test_first_cell_installs_the_course(tmp_path):
    subprocess.run([sys.executable, '-m', 'pip', 'wheel', '-q', '--no-deps', '-w', tmp_path/'wheel',
                    ROOT], check=True)
    wheel, = (tmp_path/'wheel').glob('resnet_course-*.whl')
    # this environment's packages, without the course
    others = tmp_path/'others'
    others.mkdir()
    for p in Path(sysconfig.get_paths()['purelib']).iterdir():
        if 'resnet_course' not in p.name: (others/p.name).symlink_to(p)
    venv = tmp_path/'fresh'
    subprocess.run([sys.executable, '-m', 'venv', '--without-pip', venv], check=True)
    py = venv/'bin'/'python'
    site = Path(subprocess.run([py, '-c',
                                'import sysconfig; print(sysconfig.get_paths()["purelib"])'],
                               capture_output=True, text=True, check=True).stdout.strip())
    (site/'others.pth').write_text(f'{others}\n')
    # a backslash at the end of a line below joins it to the next: the child sees the same code
    run = f"""
import importlib.util, os
from fastcore.nbio import read_nb
from execnb.shell import CaptureShell
assert importlib.util.find_spec('resnet_course') is None, \
'the fresh environment already has resnet_course'
nb = read_nb({str(ROOT/'nbs'/'01_blocks.ipynb')!r})
nb.cells = [c for c in nb.cells if 'nbdev_export' not in c.source]   \
# exporting is the repository's business
CaptureShell().run_all(nb, exc_stop=True)
import resnet_course
print(resnet_course.__file__)
"""
    env = {**os.environ, 'RESNET_COURSE_PIP': str(wheel), 'RESNET_COURSE_QUICK': '1',
           'OMP_NUM_THREADS': '1'}
    res = subprocess.run([py, '-c', run], cwd=tmp_path, env=env, capture_output=True, text=True,
                         timeout=600)
    assert res.returncode == 0, res.stderr[-3000:]
    # installed by the first cell
    assert res.stdout.strip().splitlines()[-1].startswith(str(site)), res.stdout
