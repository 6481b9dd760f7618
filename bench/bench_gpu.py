"""GPU figures for README (run by bench/gpu_check.sh, which passes `--out`): the course's main run
in small (resnet34, a `custom_resnet`, through the runner `train_run` with fastai's fine_tune
schedule, fp16 mixed precision and channels-last) on a generated Imagenette-layout folder of 256-px
JPEGs at 224 px; how many images per second the CPU decodes and augments (does the GPU wait for
it?); and training img/s of the model alone, ours against torchvision's resnet34 with the same
AMP."""
import importlib.metadata as md
import os, platform, sys, tempfile, time
from pathlib import Path
import numpy as np
import pandas as pd
import torch, torchvision
from fastcore.script import call_parse
from resnet_course.core import write_json       # first: silences fastai's torch.jit warnings
from resnet_course.data import imagenette_dls, make_mini_imagenette
from resnet_course.models import model_from_name
from resnet_course.runs import Recipe, train_run
from fastai.callback.core import Callback

def train_img_s(model, bs:int, steps:int, size:int=224) -> float:
    "Training images/s of `model` on random batches: fp16 autocast, GradScaler, channels-last, Adam"
    model = model.cuda().to(memory_format=torch.channels_last)
    opt, scaler = torch.optim.Adam(model.parameters(), 1e-3), torch.amp.GradScaler('cuda')
    x = torch.randn(bs, 3, size, size, device='cuda').to(memory_format=torch.channels_last)
    y = torch.randint(0, 10, (bs,), device='cuda')
    for i in range(steps + 5):              # 5 warm-up steps: cuDNN picks its kernels
        if i == 5: torch.cuda.synchronize(); start = time.perf_counter()
        with torch.autocast('cuda', dtype=torch.float16):
            loss = torch.nn.functional.cross_entropy(model(x), y)
        opt.zero_grad(); scaler.scale(loss).backward(); scaler.step(opt); scaler.update()
    torch.cuda.synchronize()
    return bs * steps / (time.perf_counter() - start)

class Meter(Callback):
    "Per fit (phase): wall time, training images and steps, steps the fp16 GradScaler skipped"
    order = 11                              # after `MixedPrecision` (10) has updated its scaler
    def __init__(self): self.phases = []
    def before_fit(self):
        self.phases.append(dict(images=0, steps=0, skipped=0))
        torch.cuda.synchronize(); self.start = time.perf_counter()
    def after_batch(self):
        if self.training: self.phases[-1]['images'] += len(self.learn.yb[0])
    def after_step(self):
        self.phases[-1]['steps'] += 1
        self.phases[-1]['loss_scale'] = self.learn.scaler.get_scale()
    def after_cancel_step(self): self.phases[-1]['skipped'] += 1
    def after_fit(self):
        torch.cuda.synchronize()
        ph = self.phases[-1]
        ph['seconds'] = time.perf_counter() - self.start
        ph['img_s'] = ph['images'] / ph['seconds']     # validation and checkpoints included

def versions() -> dict:
    "The GPU and the versions it runs"
    p = torch.cuda.get_device_properties(0)
    return dict(gpu=p.name, gpu_memory_gib=round(p.total_memory / 2**30, 1),
                capability=f'{p.major}.{p.minor}', cpus=os.cpu_count(),
                python=platform.python_version(), torch=torch.__version__, cuda=torch.version.cuda,
                cudnn=torch.backends.cudnn.version(), torchvision=torchvision.__version__,
                **{d: md.version(d) for d in ('numpy', 'fastai', 'fastcore', 'resnet_course')})

@call_parse
def main(out:str=None,            # JSON file for the figures (written as they come)
         epochs:int=3,            # fine_tune's epochs after unfreezing (one frozen epoch first)
         bs:int=64,               # batch size
         per_class:int=260,       # generated training JPEGs per class (at most 800)
         workers:int=8,           # DataLoader workers decoding the JPEGs
         steps:int=30):           # timed steps of each model alone
    "Print the GPU figures (and write them to `out`); exit 1 if the fp16 run does not train"
    if not torch.cuda.is_available(): sys.exit('bench_gpu: no CUDA GPU visible to torch')
    t0 = time.perf_counter()
    figs = dict(versions(), complete=False, settings=dict(
        size=224, bs=bs, per_class=per_class, epochs=epochs, freeze_epochs=1, workers=workers,
        steps=steps))
    def done(**kw):
        figs.update(kw)
        if out: write_json(out, figs)
    done()
    print(f"GPU: {figs['gpu']}, torch {figs['torch']} (CUDA {figs['cuda']}), "
          f"torchvision {figs['torchvision']}, numpy {figs['numpy']}, fastai {figs['fastai']}")
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        path = make_mini_imagenette(Path(tmp)/'imagenette', n_train=per_class, n_valid=20, size=256)
        dls = imagenette_dls(size=224, bs=bs, path=path, presize=256, num_workers=workers)
        print(f'data: {10 * per_class} training JPEGs of 256 px written in '
              f'{time.perf_counter() - start:.0f} s')
        start, n = time.perf_counter(), 0
        for xb, _ in dls.train: n += len(xb)
        torch.cuda.synchronize()
        done(data_img_s=n / (time.perf_counter() - start))
        print(f"data: {figs['data_img_s']:,.0f} img/s decoded and augmented "
              f'(JPEG, {workers} workers, augmentation on the GPU)')

        meter = Meter()
        torch.cuda.reset_peak_memory_stats()
        start = time.perf_counter()
        recipe = Recipe(net='resnet34', data=str(path), size=224, bs=bs, schedule='fine_tune',
                        epochs=epochs, freeze_epochs=1, lr=5e-4, seed=0, splitter=True,
                        n_train=None, n_valid=None, n_eval=500)
        rec = train_run(recipe, Path(tmp)/'run', dls=dls, cbs=[meter], progress=False)
        hist = pd.DataFrame(rec['history'])
        done(run=dict(seconds=time.perf_counter() - start, phases=meter.phases,
                      peak_memory_gib=torch.cuda.max_memory_allocated() / 2**30,
                      history=hist.to_dict('records')))
        for name, ph in zip(['frozen', 'unfrozen'], meter.phases):
            print(f"course run, resnet34 fine_tune {name}: {ph['steps']} steps ({ph['skipped']} "
                  f"skipped by the fp16 loss scaler, scale {ph.get('loss_scale')}), "
                  f"{ph['img_s']:,.0f} img/s end to end")
        print(hist.to_string(index=False))
        print(f"course run: {figs['run']['seconds']:.0f} s with checkpoints and the record, "
              f"peak GPU memory {figs['run']['peak_memory_gib']:.1f} GiB")
        losses = hist[['train_loss', 'valid_loss']].to_numpy()
        unfrozen = meter.phases[-1]
        if not (np.isfinite(losses).all() and unfrozen['skipped'] < unfrozen['steps'] / 2):
            sys.exit('bench_gpu: the fp16 run did not train: losses not finite, or the loss '
                     'scaler skipped most steps (see the table above)')
        del dls
    for name, model in [('ours', model_from_name('resnet34', n_classes=10)),
                        ('torchvision', torchvision.models.resnet34(num_classes=10))]:
        done(**{f'model_img_s_{name}': train_img_s(model, bs, steps)})
        print(f"{name} resnet34 training, model only: {figs[f'model_img_s_{name}']:,.0f} img/s")
    done(complete=True, seconds=time.perf_counter() - t0)
    print(f'bench_gpu: {figs["seconds"]:.0f} s')
