"""Training runs on a miniature Imagenette: freezing, interrupting and resuming, export and predict,
weights, the `train` command."""
import json
import numpy as np
import pandas as pd
import pytest, torch
from torch import nn
from fastai.learner import Learner, load_learner
from fastai.torch_core import set_seed
from helpers import one_error_line
from resnet_course.cli import main
from resnet_course.core import on_gpu
from resnet_course.data import IMAGENETTE_ENV, imagenette_dls
from resnet_course.models import model_from_name, n_params, resnet_splitter
from resnet_course.training import GroupLRs, course_learner, training_run
from resnet_course.runs import Interrupt, checkpoints, last_epoch, recipe_phases, run_phases

pytestmark = pytest.mark.device      # they train on the default device (the GPU in gpu_check.sh)

ARCH = 'res-8'                        # small and quick; the same splitter and code path as resnet34

def dls_of(mini, seed=0):
    set_seed(seed)                    # the same data order for runs that are compared
    return imagenette_dls(size=32, bs=8, path=mini, presize=40, num_workers=0)

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
    learn = course_learner(dls, 'resnet34', path=mini.parent/'freeze')
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
def uninterrupted(mini):
    "Learning rates per batch of the whole run, without interruption"
    watch = Watch()
    learn = course_learner(dls_of(mini), ARCH, path=mini.parent/'full', seed=1)
    with learn.no_bar(), learn.no_logging():
        assert run_phases(learn, recipe_phases('fine_tune', 2, 1, 1e-3), cbs=[watch])
    return np.array(watch.lrs)

# after the frozen epoch (a phase boundary); in the unfrozen phase
@pytest.mark.parametrize('stop', [1, 2])
def test_interrupt_then_resume(mini, tmp_path, uninterrupted, stop):
    out, run = tmp_path/'run', dict(arch=ARCH, recipe='fine_tune', epochs=2, freeze_epochs=1,
                                    base_lr=1e-3, seed=1)
    learn = training_run(dls_of(mini), out, cbs=[Interrupt(stop)], **run)
    assert ([p.name for p in checkpoints(out/'models')] == [f'epoch_{stop - 1}.pth']
            and last_epoch(learn) == stop - 1)
    assert not (out/'export.pkl').exists()
    finished = pd.read_csv(out/'history.csv')
    assert finished.epoch.tolist() == list(range(stop))
    # our own file: trusted
    saved = torch.load(out/'models'/f'epoch_{stop - 1}.pth', weights_only=False)
    assert same({k: v.cpu() for k, v in saved['model'].items()}, state(learn.model))

    watch = Watch()
    training_run(dls_of(mini, seed=2), out, resume=True, cbs=[watch], **run)
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
    history = pd.read_csv(out/'history.csv')
    assert (history.epoch.tolist() == [0, 1, 2]
            and history.phase.tolist() == ['frozen', 'unfrozen', 'unfrozen'])
    pd.testing.assert_frame_equal(history.iloc[:stop], finished)     # finished epochs kept
    assert ([p.name for p in checkpoints(out/'models')] == ['epoch_2.pth']
            and (out/'export.pkl').exists())
    assert np.isfinite(history[['train_loss', 'valid_loss']].values).all()
    with pytest.raises(ValueError, match='already holds a run'):
        training_run(dls_of(mini), out, **run)
    with pytest.raises(ValueError, match='other settings'):
        training_run(dls_of(mini), out, resume=True, **{**run, 'base_lr': 0.1})

def test_crash_between_csv_line_and_checkpoint(mini, tmp_path):
    "A CSV line without its checkpoint (the run died in between) is dropped when the run resumes"
    out, run = tmp_path/'run', dict(arch=ARCH, epochs=1, freeze_epochs=1, base_lr=1e-3)
    training_run(dls_of(mini), out, cbs=[Interrupt(1)], **run)
    with open(out/'history.csv', 'a') as f: f.write('1,unfrozen,9.0,9.0,0.0,00:01\n')
    training_run(dls_of(mini), out, resume=True, **run)
    history = pd.read_csv(out/'history.csv')
    assert history.epoch.tolist() == [0, 1] and (history.train_loss < 9).all()

@pytest.fixture(scope='module')
def trained(mini, tmp_path_factory):
    out = tmp_path_factory.mktemp('trained')
    return training_run(dls_of(mini), out, arch=ARCH, epochs=1, freeze_epochs=0, base_lr=1e-3), out

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
    model = model_from_name(ARCH, n_classes=10)
    model.load_state_dict(loaded)
    assert same(state(model), state(learn.model))
    x = torch.randn(2, 3, 32, 32)
    learn.model.eval(); model.eval()
    with torch.no_grad(): torch.testing.assert_close(model(x), learn.model.cpu()(x))
    ckpt = checkpoints(out/'models')[-1]    # with optimiser state: fastai's L needs learn.load
    with pytest.raises(Exception, match='Weights only load failed'):
        torch.load(ckpt, weights_only=True)
    assert same(state(course_learner(learn.dls, ARCH, path=out).load(ckpt.stem).model),
                state(learn.model))

def test_cli_train_and_resume(mini, tmp_path, capsys):
    out = tmp_path/'cli'
    args = ['train', '--data', str(mini), '--size', '32', '--bs', '8', '--arch', ARCH,
            '--epochs', '1', '--freeze-epochs', '1', '--out', str(out)]
    assert main(args) == 0
    printed = capsys.readouterr().out
    assert 'image size: 32' in printed and 'device: ' in printed and 'exported learner' in printed
    history = pd.read_csv(out/'history.csv')
    assert history.phase.tolist() == ['frozen', 'unfrozen']
    assert json.loads((out/'run.json').read_text())['arch'] == ARCH
    assert main(args) == 2 and 'already holds a run' in capsys.readouterr().err
    assert main(args + ['--resume']) == 0           # complete: nothing left to train
    pd.testing.assert_frame_equal(pd.read_csv(out/'history.csv'), history)
    assert (main(args + ['--resume', '--epochs', '3']) == 2
            and 'other settings' in capsys.readouterr().err)

def test_cli_missing_data_is_one_clear_line(tmp_path, capsys, no_download):
    assert main(['train', '--data', str(tmp_path/'nowhere')]) == 2
    assert 'does not exist' in one_error_line(capsys, 'train')
    assert main(['train']) == 2                     # 224 px: the 320 px download
    err = one_error_line(capsys, 'train')
    assert ('imagenette2-320.tgz failed' in err
            and f'{IMAGENETTE_ENV}=/path/to/imagenette2-320' in err)
    assert main(['train', '--size', '128']) == 2    # 128 px (presize 160): the 160 px download
    assert 'imagenette2-160.tgz failed' in one_error_line(capsys, 'train')
