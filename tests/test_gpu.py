"GPU-only checks: skipped with a note on a CPU; `bench/gpu_check.sh` runs them on a CUDA machine."
import pytest, torch

pytestmark = [pytest.mark.gpu, pytest.mark.skipif(not torch.cuda.is_available(),
                                                  reason='GPU check: no CUDA GPU here')]

def test_precision_is_fp16():
    from resnet_course.core import on_gpu, precision
    assert on_gpu() and precision() == 'fp16'

def test_recipe_learner_on_gpu(mini):
    "fastai's fp16 MixedPrecision, channels-last weights that stay fp32, a finite epoch on the GPU"
    from fastai.callback.fp16 import MixedPrecision
    from resnet_course.data import imagenette_dls
    from resnet_course.runs import Recipe, recipe_learner
    dls = imagenette_dls(size=32, bs=8, path=mini, num_workers=0)
    learn = recipe_learner(Recipe(net='resnet18', data=str(mini), splitter=True), dls)
    conv = learn.model.body.stem[0]
    assert any(type(cb) is MixedPrecision for cb in learn.cbs)
    assert (conv.weight.is_contiguous(memory_format=torch.channels_last)
            and conv.weight.dtype == torch.float32)
    with learn.no_bar(), learn.no_logging(): learn.fit_one_cycle(1, 1e-3)
    assert conv.weight.device.type == 'cuda' and conv.weight.dtype == torch.float32
    assert torch.isfinite(torch.tensor(learn.recorder.values[-1])).all()

def test_array_batches_on_gpu():
    "The in-memory Fashion-MNIST batches arrive on the GPU"
    from resnet_course.data import fmnist_dls
    xb, yb = fmnist_dls(bs=16, n_train=100, n_valid=50, per_item=False).one_batch()
    assert xb.device.type == yb.device.type == 'cuda' and xb.shape == (16, 1, 28, 28)

def test_fine_tune_run_on_gpu(mini, tmp_path):
    """The course's main run in small (`train_run`, fine_tune, fp16, channels-last): the frozen
    epoch trains the head and not the body's convs, the fp16 steps then move the body, and the run
    ends with its record and weights, from which an exported learner predicts on the GPU"""
    from torch import nn
    from fastai.callback.core import Callback
    from fastai.learner import load_learner
    from resnet_course.data import imagenette_dls
    from resnet_course.runs import Recipe, recipe_learner, train_run
    from resnet_course.training import BodyMoved
    def weights(model):
        return {n: m.weight.detach().clone() for n, m in model.named_modules()
                if isinstance(m, (nn.Conv2d, nn.Linear))}
    class Watch(Callback):
        "Conv and linear weights before the run and after each fit; steps and skipped steps"
        order = 11                                  # after `MixedPrecision`
        def __init__(self): self.snaps, self.steps, self.skipped = [], 0, 0
        def before_fit(self):
            if not self.snaps: self.snaps.append(weights(self.model))
        def after_step(self): self.steps += 1
        def after_cancel_step(self): self.skipped += 1
        def after_fit(self): self.snaps.append(weights(self.model))
    dls, watch, out = imagenette_dls(size=32, bs=8, path=mini, num_workers=0), Watch(), tmp_path
    recipe = Recipe(net='resnet18', data=str(mini), size=32, bs=8, schedule='fine_tune', epochs=2,
                    freeze_epochs=1, lr=5e-4, seed=0, splitter=True, n_train=None, n_valid=None,
                    n_eval=None)
    rec = train_run(recipe, out, dls=dls, cbs=[watch, BodyMoved()], progress=False)
    start, frozen, end = watch.snaps
    body = [n for n in start if n.startswith('body')]
    assert all(torch.equal(start[n], frozen[n]) for n in body)
    assert not torch.equal(start['head.2'], frozen['head.2'])
    # the GradScaler may skip the first steps of a fit (its scale too high), not most steps
    assert watch.skipped < watch.steps / 2
    assert sum(not torch.equal(frozen[n], end[n]) for n in body) > len(body) / 2
    assert all(w.dtype == torch.float32 and w.device.type == 'cuda' for w in end.values())
    history = rec['history']
    assert [h['epoch'] for h in history] == [1, 2, 3] and rec['recipe']['precision'] == 'fp16'
    assert torch.isfinite(torch.tensor([[h['train_loss'], h['valid_loss']] for h in history])).all()
    assert history[0]['body_moved'] == 0 < history[-1]['body_moved']
    assert sorted(p.name for p in out.iterdir()) == ['resnet18.json', 'resnet18.pth']
    learn = recipe_learner(recipe, dls, path=out)
    learn.model.load_state_dict(torch.load(out/'resnet18.pth', weights_only=True))
    learn.export()
    inf = load_learner(out/'export.pkl', cpu=False)
    assert next(inf.model.parameters()).device.type == 'cuda'
    label, idx, probs = inf.predict(sorted((mini/'val'/'n03888257').iterdir())[0])
    assert label == inf.dls.vocab[idx] and abs(probs.sum().item() - 1) < 1e-3
