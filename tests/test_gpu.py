"GPU-only checks: skipped with a note on a CPU; `bench/gpu_check.sh` runs them on a CUDA machine."
import pytest, torch

pytestmark = [pytest.mark.gpu, pytest.mark.skipif(not torch.cuda.is_available(),
                                                  reason='GPU check: no CUDA GPU here')]

def test_precision_is_fp16():
    from resnet_course.core import on_gpu, precision
    assert on_gpu() and precision() == 'fp16'

def test_course_learner_on_gpu(mini):
    "fastai's fp16 MixedPrecision, channels-last weights that stay fp32, a finite epoch on the GPU"
    from fastai.callback.fp16 import MixedPrecision
    from resnet_course.data import imagenette_dls
    from resnet_course.training import course_learner
    dls = imagenette_dls(size=32, bs=8, path=mini, num_workers=0)
    learn = course_learner(dls, 'resnet18', path=mini, seed=0)
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
