"""Degradation on real data: the classroom demo's claims, its outputs and reproducibility, resuming
after an interruption."""
import json, warnings
from pathlib import Path
import pytest
from fastai.callback.core import Callback
from fastai.losses import CrossEntropyLossFlat
from helpers import is_png, quietly
from resnet_course.degradation import DEMO_CLAIMS, demo, failed_claims
from resnet_course.runs import (DEMO_RECIPE, SUMMARY, Interrupt, Recipe, evaluate, load_run,
                                read_record, recipe_dls, run_models)

NAMES = ['plain-20', 'plain-56', 'res-20', 'res-56']
TINY = dict(n_train=200, n_valid=100, n_eval=100, width=4, epochs=2, bs=50)

def results(out) -> list: return json.loads((Path(out)/'results.json').read_text())

@pytest.mark.slow
def test_demo_outputs_agree_with_the_records(demo_out):
    assert is_png(demo_out/'degradation.png')
    rows = results(demo_out)
    assert [r['name'] for r in rows] == NAMES
    for r in rows:
        assert set(r) == set(SUMMARY)
        rec = read_record(demo_out, r['name'])
        assert {k: rec[k] for k in SUMMARY} == r        # results.json repeats each record
        assert (rec['history'][-1]['train_error'] == r['train_error']
                and len(rec['history']) == DEMO_RECIPE.epochs)
    md = (demo_out/'results.md').read_text()
    assert md.startswith('| name | kind | depth | params | seconds |')
    for r in rows: assert f"| {r['name']} | {r['kind']} | {r['depth']} | {r['params']} |" in md
    assert f"| {100 * rows[0]['train_error']:.1f} |" in md

@pytest.mark.slow
def test_demo_claims(demo_out):
    "The chapter's claims for the classroom budget (`DEMO_CLAIMS`) hold on the demo's default run"
    errors = {r['name']: r['train_error'] for r in results(demo_out)}
    assert failed_claims(errors, DEMO_CLAIMS) == [], errors

@pytest.mark.slow
def test_demo_rerun_reuses_and_fresh_run_reproduces(demo_out, tmp_path):
    "A rerun in its folder trains nothing; the same seed in a fresh folder gives every error again"
    again = quietly(demo, out=str(demo_out))
    assert again.reused.all()
    fresh = tmp_path/'fresh'
    quietly(demo, out=str(fresh))
    for a, b in zip(results(demo_out), results(fresh)):
        assert a['name'] == b['name']
        for key in ['train_error', 'valid_error']: assert abs(a[key] - b[key]) <= 0.01, (a, b)

@pytest.mark.slow
def test_load_run(demo_out):
    "The saved weights give the recorded validation error"
    model, rec = load_run(demo_out, 'res-56')
    assert not model.training
    assert rec['recipe'] == DEMO_RECIPE.replace(net='res-56').resolved().as_dict()
    _, err = evaluate(model, recipe_dls(Recipe.of(rec['recipe'])).valid, CrossEntropyLossFlat(),
                      rec['recipe']['precision'])
    assert err == pytest.approx(rec['valid_error'], abs=1e-6)

class CountFits(Callback):
    "Counts the models trained"
    def __init__(self): self.n = 0
    def before_fit(self): self.n += 1

class CtrlC(Callback):
    "Raises KeyboardInterrupt in the second epoch of the `at`-th model trained, as Ctrl-C would"
    def __init__(self, at): self.at, self.fits = at, 0
    def before_fit(self): self.fits += 1
    def before_epoch(self):
        if self.fits == self.at and self.epoch == 1: raise KeyboardInterrupt

@pytest.mark.parametrize('stop', [CtrlC(at=2), Interrupt(3)], ids=['Ctrl-C', 'cancelled fit'])
def test_resume_after_interrupt(tmp_path, stop):
    """Stopped in the second model: the first is saved, the second has its first epoch's checkpoint;
    a rerun keeps the first, resumes the second after its first epoch, trains the third"""
    names = ['plain-8', 'res-8', 'plain-14']
    with pytest.raises((KeyboardInterrupt, RuntimeError)):
        quietly(run_models, names, tmp_path, cbs=[stop], **TINY)
    # nothing half-written: the second net is still in its work folder
    assert sorted(p.name for p in tmp_path.iterdir()) == ['.res-8.work', 'plain-8.json',
                                                          'plain-8.pth']
    mtime = (tmp_path/'plain-8.pth').stat().st_mtime_ns
    count = CountFits()
    df = quietly(run_models, names, tmp_path, cbs=[count], **TINY)
    assert count.n == 2 and df.reused.tolist() == [True, False, False]
    assert read_record(tmp_path, 'res-8')['resumed_at_epoch'] == 1
    assert (tmp_path/'plain-8.pth').stat().st_mtime_ns == mtime
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f'{n}.{e}' for n in names
                                                                for e in ('json', 'pth'))

def test_damaged_record_is_retrained_with_a_warning(tmp_path):
    quietly(run_models, ['res-8'], tmp_path, **TINY)
    first = read_record(tmp_path, 'res-8')
    (tmp_path/'res-8.json').write_text((tmp_path/'res-8.json').read_text()[:50])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        df = quietly(run_models, ['res-8'], tmp_path, **TINY)
    assert not df.reused.any()
    said = [str(w.message) for w in caught if 'damaged' in str(w.message)]
    assert (len(said) == 1
            and said[0].startswith(f'damaged file {tmp_path}/res-8.json (JSONDecodeError: '))
    assert said[0].endswith('): training res-8 again')
    # the same seed, the same net
    assert read_record(tmp_path, 'res-8')['valid_error'] == first['valid_error']

@pytest.mark.parametrize('name, msg', [('plain-21', r'6n\+2'), ('res-54', r'6n\+2'),
                                       ('res-2', r'6n\+2'), ('resnet-20', 'valid names'),
                                       ('plain20', 'valid names'),
                                       ('cifar-plain20', 'valid names')])
def test_bad_names_fail_before_training(tmp_path, name, msg):
    with pytest.raises(ValueError, match=msg): run_models(['plain-8', name], tmp_path)
    assert not list(tmp_path.iterdir())
