"""Training runs on a miniature Imagenette: freezing, interrupting and resuming, export and predict,
weights, `BodyMoved`, the `train` command."""
import numpy as np
import pytest, torch
from torch import nn
from fastai.learner import Learner, load_learner
from fastai.torch_core import set_seed
from helpers import one_error_line
from resnet_course.cli import main
from resnet_course.core import on_gpu, read_json, write_json
from resnet_course.data import IMAGENETTE_ENV, imagenette_dls
from resnet_course.models import model_from_name, n_params, resnet_splitter
from resnet_course.training import BodyMoved, GroupLRs
from resnet_course.runs import (Interrupt, Recipe, checkpoints, read_record, recipe_learner,
                                train_run)

pytestmark = pytest.mark.device      # they train on the default device (the GPU in gpu_check.sh)

ARCH = 'res-8'                        # small and quick; the same splitter and code path as resnet34

def dls_of(mini, seed=0):
    set_seed(seed)                    # the same data order for runs that are compared
    return imagenette_dls(size=32, bs=8, path=mini, presize=40, num_workers=0)

def recipe(mini, **changes):
    "A fine_tune recipe of `ARCH` on the miniature, every image measured"
    return Recipe(net=ARCH, data=str(mini), size=32, bs=8, schedule='fine_tune', epochs=2,
                  freeze_epochs=1, lr=1e-3, seed=1, splitter=True, n_train=None, n_valid=None,
                  n_eval=None).replace(**changes)

def state(model): return {k: v.detach().cpu().clone() for k, v in model.state_dict().items()}
def same(a, b): return a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)

class Watch(GroupLRs):
    "Each group's lr per batch (`GroupLRs`); weights and optimiser state before the first fit"
    def __init__(self): super().__init__(); self.weights = None
    def before_fit(self):
        if self.weights is None:
            self.weights = state(self.model)
            self.opt_state = [{k: v.clone() if torch.is_tensor(v) else v
                               for k, v in self.opt.state[p].items()}
                              for p, *_ in self.opt.all_params()]

def bn_params(m): return sum(p.numel() for mod in m.modules() if isinstance(mod, nn.BatchNorm2d)
                             for p in mod.parameters())

def test_freeze_leaves_head_and_body_bn_trainable(mini):
    dls = dls_of(mini)
    learn = recipe_learner(recipe(mini, net='resnet34'), dls, path=mini.parent/'freeze')
    learn.freeze()
    body, head = learn.opt.param_lists
    trainable = lambda ps: sum(p.numel() for p in ps if p.requires_grad)
    # fastai's train_bn=True keeps BN trainable
    assert trainable(body) == bn_params(learn.model.body) > 0
    assert trainable(head) == n_params(learn.model.head)
    strict = Learner(dls, model_from_name('resnet34', 10), splitter=resnet_splitter, train_bn=False)
    strict.freeze()
    assert [trainable(g) for g in strict.opt.param_lists] == [0, n_params(strict.model.head)]
    learn.unfreeze()
    assert trainable(body) + trainable(head) == n_params(learn.model)
    nosplit = Learner(dls, model_from_name('resnet34', 10))  # one group: freeze() freezes nothing
    nosplit.freeze()
    assert trainable(nosplit.opt.param_lists[0]) == n_params(nosplit.model)

@pytest.fixture(scope='module')
def uninterrupted(mini, tmp_path_factory):
    "Learning rates per batch of the whole run, without interruption"
    watch = Watch()
    train_run(recipe(mini), tmp_path_factory.mktemp('full'), dls=dls_of(mini), cbs=[watch],
              progress=False, weights=False)
    return np.array(watch.lrs)

# after the frozen epoch (a phase boundary); in the unfrozen phase
@pytest.mark.parametrize('stop', [1, 2])
def test_interrupt_then_resume(mini, tmp_path, uninterrupted, stop):
    out, run = tmp_path/'run', recipe(mini)
    work = out/f'.{ARCH}.work'
    with pytest.raises(RuntimeError, match=f'stopped after {stop} of 3 epochs'):
        train_run(run, out, dls=dls_of(mini), cbs=[Interrupt(stop)], progress=False)
    ckpt = work/'models'/f'epoch_{stop - 1}.pth'
    assert checkpoints(work/'models') == [ckpt] and not (out/f'{ARCH}.json').exists()
    finished = read_json(work/'history.json')
    assert [r['epoch'] for r in finished] == list(range(1, stop + 1))
    # our own file: trusted; with the optimiser's state (fastai's L), only fastai's `load` reads
    # it with weights_only=True
    saved = torch.load(ckpt, weights_only=False)
    with pytest.raises(Exception, match='Weights only load failed'):
        torch.load(ckpt, weights_only=True)
    assert same(state(recipe_learner(run, dls_of(mini), path=work).load(ckpt.stem).model),
                {k: v.cpu() for k, v in saved['model'].items()})
    # an unfinished run does not continue with another recipe
    with pytest.raises(ValueError, match='unfinished run of res-8 with another recipe'):
        train_run(run.replace(lr=0.1), out, dls=dls_of(mini), progress=False)

    watch = Watch()
    rec = train_run(run, out, dls=dls_of(mini, seed=2), cbs=[watch], progress=False)
    # starts from the checkpoint
    assert same(watch.weights, {k: v.cpu() for k, v in saved['model'].items()})
    if stop == 2:           # mid-phase: Adam's state is restored too
        for now, then in zip(watch.opt_state, saved['opt']['state']):
            assert now.keys() == then.keys() and all(torch.equal(now[k], then[k]) for k in now
                                                     if torch.is_tensor(now[k]))
    else:                   # new phase: unfreeze() cleared it, as in fastai's fine_tune
        assert all('grad_avg' not in s for s in watch.opt_state)
    # same schedule
    np.testing.assert_array_equal(np.array(watch.lrs), uninterrupted[-len(watch.lrs):])
    assert len(watch.lrs) == len(uninterrupted) * (3 - stop) // 3    # only the remaining epochs
    assert [h['epoch'] for h in rec['history']] == [1, 2, 3] and rec['resumed_at_epoch'] == stop
    assert rec['history'][:stop] == finished                         # finished epochs kept
    assert not work.exists() and (out/f'{ARCH}.pth').exists()
    assert np.isfinite([[h['train_loss'], h['valid_loss']] for h in rec['history']]).all()
    assert train_run(run, out, dls=dls_of(mini), progress=False)['reused']   # finished: reused

def test_crash_between_history_and_checkpoint(mini, tmp_path):
    "An epoch in the history without its checkpoint (the run died in between) is dropped on resume"
    out, run = tmp_path/'run', recipe(mini, epochs=1)
    with pytest.raises(RuntimeError, match='stopped after 1 of 2'):
        train_run(run, out, dls=dls_of(mini), cbs=[Interrupt(1)], progress=False)
    hist = out/f'.{ARCH}.work'/'history.json'
    write_json(hist, read_json(hist) + [dict(read_json(hist)[0], epoch=2, train_loss=9.0)])
    rec = train_run(run, out, dls=dls_of(mini), progress=False)
    assert ([h['epoch'] for h in rec['history']] == [1, 2]
            and all(h['train_loss'] < 9 for h in rec['history']))

def test_body_moved_through_a_resume(mini, tmp_path):
    """`BodyMoved` measures from the freshly built, seeded net, not from the checkpoint a resumed
    run loads; the epochs before the resume keep their measure"""
    run, out = recipe(mini, schedule='one_cycle', epochs=1), tmp_path/'run'
    with pytest.raises(RuntimeError, match='stopped after 1 of 2'):
        train_run(run, out, dls=dls_of(mini), cbs=[BodyMoved(), Interrupt(1)], progress=False)
    first = read_json(out/f'.{ARCH}.work'/'history.json')[0]['body_moved']
    assert first > 0                  # one_cycle trains the body from the first epoch
    moved = BodyMoved()
    rec = train_run(run, out, dls=dls_of(mini), cbs=[moved], progress=False)
    assert same(moved.init, state(recipe_learner(run, dls_of(mini)).model))
    assert rec['history'][0]['body_moved'] == first and rec['history'][1]['body_moved'] > 0

@pytest.fixture(scope='module')
def trained(mini, tmp_path_factory):
    "A finished run of `ARCH` and its learner, built again with the run's weights, exported"
    out, run = tmp_path_factory.mktemp('trained'), recipe(mini, epochs=1, freeze_epochs=0)
    train_run(run, out, dls=dls_of(mini), progress=False)
    learn = recipe_learner(run, dls_of(mini), path=out)
    learn.model.load_state_dict(torch.load(out/f'{ARCH}.pth', weights_only=True))
    learn.export()
    return learn, out

def test_export_load_predict(mini, trained):
    learn, out = trained
    inf = load_learner(out/'export.pkl')
    fn = sorted((mini/'val'/'n03888257').iterdir())[0]
    label, idx, probs = inf.predict(fn)
    assert label == inf.dls.vocab[idx] and list(inf.dls.vocab) == list(learn.dls.vocab)
    assert abs(probs.sum().item() - 1) < 1e-5
    preds, _ = learn.get_preds(dl=learn.dls.test_dl([fn]))
    # like with like on a CPU; on a GPU, fp16 `get_preds` against the exported learner's fp32
    # predictions on the CPU (`load_learner` leaves mixed precision out)
    tol = dict(rtol=1e-2, atol=1e-3) if on_gpu() else dict(rtol=1e-5, atol=1e-6)
    torch.testing.assert_close(probs, preds[0].cpu(), **tol)

def test_weights_round_trip(trained):
    learn, out = trained
    path = learn.save('weights', with_opt=False)
    loaded = torch.load(path, weights_only=True)
    assert same(loaded, torch.load(out/f'{ARCH}.pth', weights_only=True))   # the run's weights
    model = model_from_name(ARCH, n_classes=10, width=read_record(out, ARCH)['recipe']['width'])
    model.load_state_dict(loaded)
    assert same(state(model), state(learn.model))
    x = torch.randn(2, 3, 32, 32)
    learn.model.eval(); model.eval()
    with torch.no_grad(): torch.testing.assert_close(model(x), learn.model.cpu()(x))

def test_cli_train_and_resume(mini, tmp_path, capsys):
    out = tmp_path/'cli'
    args = ['train', '--data', str(mini), '--size', '32', '--bs', '8', '--arch', ARCH,
            '--epochs', '1', '--freeze-epochs', '1']
    assert main(args + ['--out', str(out)]) == 0
    printed = capsys.readouterr().out
    assert 'image size: 32' in printed and 'device: ' in printed and 'exported learner' in printed
    rec = read_record(out, ARCH)
    assert [h['epoch'] for h in rec['history']] == [1, 2] and 'train_eval_loss' in printed
    assert (rec['recipe']['net'], rec['recipe']['size'], rec['recipe']['schedule']) == (
        ARCH, 32, 'fine_tune')
    assert (out/f'{ARCH}.pth').exists() and (out/'export.pkl').exists()
    assert main(args + ['--out', str(out)]) == 0     # complete: nothing left to train
    assert read_record(out, ARCH) == rec
    # a run stopped after its first epoch: the same command continues it, other settings are refused
    stopped = tmp_path/'stopped'
    cli_recipe = Recipe(net=ARCH, data=str(mini), size=32, bs=8, schedule='fine_tune', epochs=1,
                        freeze_epochs=1, lr=5e-4, seed=42, splitter=True, n_train=None,
                        n_valid=None, n_eval=500)
    with pytest.raises(RuntimeError, match='stopped after 1 of 2'):
        train_run(cli_recipe, stopped, name=ARCH, cbs=[Interrupt(1)], progress=False)
    capsys.readouterr()
    assert main(args + ['--out', str(stopped), '--epochs', '3']) == 2
    assert 'unfinished run of res-8 with another recipe' in one_error_line(capsys, 'train')
    assert main(args + ['--out', str(stopped)]) == 0
    assert read_record(stopped, ARCH)['resumed_at_epoch'] == 1

def test_cli_missing_data_is_one_clear_line(tmp_path, capsys, no_download):
    assert main(['train', '--data', str(tmp_path/'nowhere')]) == 2
    assert 'does not exist' in one_error_line(capsys, 'train')
    assert main(['train']) == 2                     # 224 px: the 320 px download
    err = one_error_line(capsys, 'train')
    assert ('imagenette2-320.tgz failed' in err
            and f'{IMAGENETTE_ENV}=/path/to/imagenette2-320' in err)
    assert main(['train', '--size', '128']) == 2    # 128 px (presize 160): the 160 px download
    assert 'imagenette2-160.tgz failed' in one_error_line(capsys, 'train')
