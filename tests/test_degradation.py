"Degradation on real data: the classroom demo's claims, its reproducibility, resuming after an interruption, bad input."
import contextlib, io, json
from pathlib import Path
import pytest
from fastai.callback.core import Callback
from fastai.losses import CrossEntropyLossFlat
from resnet_course.cli import main
from resnet_course.degradation import (DEMO_RECIPE, SUMMARY, demo, evaluate, load_trained, net_name, parse_name,
                                       recipe_dls, run_models)

NAMES = ['plain-20', 'plain-56', 'res-20', 'res-56']
TINY = dict(n_train=200, n_valid=100, n_eval=100, width=4, epochs=2, bs=50)

def quietly(f, *args, **kwargs):
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()): return f(*args, **kwargs)

def train_errors(out) -> dict:
    "Final training error (in %) of each model in the demo's results.json"
    return {r['name']: 100 * r['train_error'] for r in json.loads((Path(out)/'results.json').read_text())}

@pytest.mark.slow
def test_demo_outputs(demo_out):
    assert {'degradation.png', 'results.md', 'results.json'} <= {p.name for p in demo_out.iterdir()}
    assert (demo_out/'degradation.png').read_bytes()[:8] == b'\x89PNG\r\n\x1a\n'
    records = json.loads((demo_out/'results.json').read_text())
    assert [r['name'] for r in records] == NAMES
    for r in records:
        assert set(r) == set(SUMMARY)
        assert (r['kind'], r['depth']) == parse_name(r['name'])
        assert r['params'] > 0 and r['seconds'] > 0 and 0 <= r['train_error'] <= 1 and 0 <= r['valid_error'] <= 1
    md = (demo_out/'results.md').read_text()
    assert md.startswith('| name | kind | depth | params | seconds |') and all(f'| {n} |' in md for n in NAMES)

@pytest.mark.slow
def test_demo_claims(demo_out):
    "Degradation: plain-56 trains at least 10 points worse than plain-20; the residual gap is at most a third of that"
    err = train_errors(demo_out)
    plain_gap, res_gap = err['plain-56'] - err['plain-20'], err['res-56'] - err['res-20']
    assert plain_gap >= 10, err
    assert res_gap <= plain_gap / 3, err

@pytest.mark.slow
def test_demo_reproducible(demo_out, tmp_path):
    "The same seed in a fresh folder gives every error again within 1 point"
    again = tmp_path/'again'
    quietly(demo, out=str(again))
    first, second = (json.loads((d/'results.json').read_text()) for d in (demo_out, again))
    for a, b in zip(first, second):
        assert a['name'] == b['name']
        for key in ['train_error', 'valid_error']: assert abs(a[key] - b[key]) <= 0.01, (a, b)

@pytest.mark.slow
def test_load_trained(demo_out):
    "The saved weights give the recorded validation error"
    model, rec = load_trained(demo_out, 'res-56')
    assert not model.training and rec['recipe'] == DEMO_RECIPE and len(rec['history']) == DEMO_RECIPE['epochs']
    _, err = evaluate(model, recipe_dls(rec['recipe']).valid, CrossEntropyLossFlat())
    assert err == pytest.approx(rec['valid_error'], abs=1e-6)

class CountFits(Callback):
    "Counts the models trained"
    def __init__(self): self.n = 0
    def before_fit(self): self.n += 1

class Interrupt(Callback):
    "Raises in the second epoch of the `at`-th model trained, as a Ctrl-C would"
    def __init__(self, at): self.at, self.fits = at, 0
    def before_fit(self): self.fits += 1
    def before_epoch(self):
        if self.fits == self.at and self.epoch == 1: raise KeyboardInterrupt

def test_resume_after_interrupt(tmp_path):
    names = ['plain-8', 'res-8', 'plain-14']
    with pytest.raises(KeyboardInterrupt): quietly(run_models, names, tmp_path, cbs=[Interrupt(at=2)], **TINY)
    assert sorted(p.name for p in tmp_path.iterdir()) == ['plain-8.json', 'plain-8.pth']   # nothing half-written
    mtime = (tmp_path/'plain-8.pth').stat().st_mtime_ns
    count = CountFits()
    df = quietly(run_models, names, tmp_path, cbs=[count], **TINY)
    assert count.n == 2 and df.reused.tolist() == [True, False, False]
    assert (tmp_path/'plain-8.pth').stat().st_mtime_ns == mtime
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f'{n}.{e}' for n in names for e in ('json', 'pth'))

def test_reuse_only_same_recipe(tmp_path):
    count = CountFits()
    first = quietly(run_models, ['plain-8', 'res-8'], tmp_path, cbs=[count], **TINY)
    again = quietly(run_models, ['res-8', 'plain-8'], tmp_path, cbs=[count], **TINY)
    assert count.n == 2 and again.reused.all()
    assert again.set_index('name').train_error.to_dict() == first.set_index('name').train_error.to_dict()
    (tmp_path/'plain-8.pth').unlink()                                    # a record without weights is not finished
    quietly(run_models, ['plain-8', 'res-8'], tmp_path, cbs=[count], **TINY)
    assert count.n == 3
    quietly(run_models, ['plain-8', 'res-8'], tmp_path, cbs=[count], **dict(TINY, lr=3e-3))
    assert count.n == 5
    assert json.loads((tmp_path/'res-8.json').read_text())['recipe']['lr'] == 3e-3

@pytest.mark.parametrize('name, msg', [('plain-21', r'6n\+2'), ('res-54', r'6n\+2'), ('res-2', r'6n\+2'),
                                       ('resnet-20', 'valid names'), ('plain20', 'valid names'), ('Plain-20', 'valid names')])
def test_bad_names(tmp_path, name, msg):
    with pytest.raises(ValueError, match=msg): run_models(['plain-8', name], tmp_path)
    assert not list(tmp_path.iterdir())                                  # refused before any training

def test_bad_input(tmp_path):
    assert net_name('residual', 110) == 'res-110'
    with pytest.raises(ValueError, match='valid: plain, residual'): net_name('res', 20)
    with pytest.raises(ValueError, match=r'6n\+2'): net_name('plain', 20.0)
    with pytest.raises(ValueError, match=r"unknown keys \['epoch'\]"): run_models(['plain-8'], tmp_path, epoch=1)
    with pytest.raises(ValueError, match='at least two depths'): demo(out=str(tmp_path), depths=[56])
    with pytest.raises(FileNotFoundError, match='no trained model res-56'): load_trained(tmp_path, 'res-56')

def test_cli_bad_depth(tmp_path, capsys):
    assert main(['demo', '--out', str(tmp_path/'d'), '--depths', '20', '54']) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith('resnet-course demo: error: depth must be 6n+2') and '\n' not in err
