"""Where the time of one fp32 training epoch of chapter 08's recipe goes on this CPU.

The recipe is `FASHION_RECIPE` in fp32: res-20, width 24, a stem of stride 2, batches of 256 in
channels-last, Adam, 55,000 training images of 28×28 px.

1. One training step (`bench_precision.step`: forward, loss, backward, Adam step) on a random batch,
   under `torch.profiler` after warm-up: the self CPU time of every op, summed by kind of op.
   "between ops" is the step's wall time that no op accounts for (Python, the profiler itself).
2. One epoch in parts, timed with `time.perf_counter` over a few batches of the real data (after
   warm-up) and scaled to the epoch's batches: (a) the data alone: iterating `dls.train`
   (gathering, PadCrop, MirrorLR, Normalize), no net; (b) a plain PyTorch loop (forward, loss,
   backward, `torch.optim.Adam` step) over the same batches, already in memory; (c) fastai's
   `fit_one_cycle` on `recipe_learner` (fastai's Adam, its callbacks, the batches' tensor
   subclasses), data included, validation left out; (c) - (a) - (b) is what fastai and Python add.
   (d) the evaluation the runner does after every epoch: forward passes without gradients over
   2,000 training and 5,000 validation images in batches of 512 (`runs.evaluate`).
Read the ratios: absolute times on a shared machine vary by ±30% from run to run.

    .venv/bin/python bench/bench_profile.py [--steps 3] [--batches 20]
"""
import argparse, re, time
import torch
from torch.profiler import ProfilerActivity, profile
from fastai.callback.core import Callback, CancelEpochException
from resnet_course.core import cpu_name
from resnet_course.fashion import FASHION_RECIPE
from resnet_course.runs import evaluate, recipe_dls, recipe_learner, train_eval_dl
from bench_levers import batch, net               # the recipe's net and a random batch, as there
from bench_precision import step                  # one training step, the same as there

RECIPE = FASHION_RECIPE.replace(precision='fp32')
WARMUP = 2
CATEGORIES = ['convolution forward', 'convolution backward', 'batch norm (fwd+bwd)',
              'ReLU, add (elementwise)', 'optimiser step, zero_grad', 'everything else (ops)',
              'between ops (Python, profiler)']

def category(ev) -> str:
    "The kind of a profiled op: what runs inside the optimiser's step counts as the optimiser's"
    q = ev
    while q is not None:
        if q.name.startswith('Optimizer.'): return CATEGORIES[4]
        q = q.cpu_parent
    n = ev.name.lower()
    if 'conv' in n: return CATEGORIES[1] if 'backward' in n else CATEGORIES[0]
    if 'batch_norm' in n or 'batchnorm' in n: return CATEGORIES[2]
    if re.search(r'relu|threshold|clamp|aten::add_?$|addbackward', n): return CATEGORIES[3]
    return CATEGORIES[5]

def profile_step(steps:int) -> dict:
    "Milliseconds per training step, by category"
    torch.manual_seed(0)
    model = net(RECIPE)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    x, y = batch(RECIPE, RECIPE.bs)
    for _ in range(WARMUP): step(model, opt, x, y, 'fp32')
    with profile(activities=[ProfilerActivity.CPU]) as prof:
        t = time.perf_counter()
        for _ in range(steps): step(model, opt, x, y, 'fp32')
        wall = time.perf_counter() - t
    ms = dict.fromkeys(CATEGORIES, 0.)
    for ev in prof.events(): ms[category(ev)] += ev.self_cpu_time_total / 1e3 / steps
    ms[CATEGORIES[6]] = wall * 1e3 / steps - sum(ms.values())
    return ms

class Stopwatch(Callback):
    "Seconds of `n` whole batches (data included) after warm-up; then ends the epoch: no validation"
    def __init__(self, n:int): self.n = n
    def before_batch(self):
        if self.iter == WARMUP: self.start = time.perf_counter()
        if self.iter == WARMUP + self.n:
            self.seconds = time.perf_counter() - self.start
            raise CancelEpochException

def epoch_parts(n:int) -> tuple:
    "Seconds per batch of (a) data, (b) plain loop, (c) fastai; seconds of (d); batches per epoch"
    dls = recipe_dls(RECIPE)
    # WARMUP + n + 1 batches: the stopwatch stops at the start of the last one
    sub = dls.train.new(dataset=dls.train_ds.subset(torch.arange((WARMUP + n + 1) * RECIPE.bs), 0))
    batches, t = [], time.perf_counter()
    for b in sub:                                                              # (a)
        batches.append(tuple(o.as_subclass(torch.Tensor) for o in b))
        if len(batches) == WARMUP: t = time.perf_counter()
        if len(batches) == WARMUP + n: break
    data = (time.perf_counter() - t) / n
    torch.manual_seed(0)                                                       # (b)
    model = net(RECIPE)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for i, (x, y) in enumerate(batches):
        if i == WARMUP: t = time.perf_counter()
        step(model, opt, x, y, 'fp32')
    plain = (time.perf_counter() - t) / n
    learn = recipe_learner(RECIPE, type(dls)(sub, dls.valid))                  # (c)
    watch = Stopwatch(n)
    with learn.no_bar(), learn.no_logging(): learn.fit_one_cycle(1, RECIPE.lr, cbs=watch)
    fastai = watch.seconds / n
    eval_dls = (train_eval_dl(dls, RECIPE.n_eval, RECIPE.seed), dls.valid)     # (d)
    for dl in eval_dls: evaluate(model, dl)                                    # warm-up
    t = time.perf_counter()
    for dl in eval_dls: evaluate(model, dl)
    n_eval = sum(len(dl.dataset) for dl in eval_dls)
    return data, plain, fastai, time.perf_counter() - t, n_eval, len(dls.train), dls.valid.bs

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--steps', type=int, default=3, help='profiled training steps (after warm-up)')
    p.add_argument('--batches', type=int, default=20, help='timed batches per part (after warm-up)')
    args = p.parse_args()
    print(f"CPU: {cpu_name()}, {torch.get_num_threads()} threads; fp32; {RECIPE.net}, width "
          f"{RECIPE.width}, stem stride {RECIPE.stem_stride}, batch {RECIPE.bs}, channels-last")
    ms = profile_step(args.steps)
    step_ms = sum(ms.values())
    print(f"\n1. One training step, random batch: self CPU time by kind of op, mean of "
          f"{args.steps} profiled steps after {WARMUP} warm-up steps")
    print(f"{'kind of op':<32} {'ms/step':>8} {'share':>7}")
    for k, v in ms.items(): print(f"{k:<32} {v:>8.1f} {v / step_ms:>7.1%}")
    print(f"{'one step (wall, under profiler)':<32} {step_ms:>8.1f} {1:>7.0%}")
    data, plain, fastai, ev, n_eval, n_batches, eval_bs = epoch_parts(args.batches)
    print(f"\n2. One epoch ({n_batches} batches) in parts: {args.batches} batches of the real data "
          f"timed after {WARMUP} warm-up batches, scaled to the epoch")
    rows = [('(a) data: gather, PadCrop, MirrorLR, Normalize', data),
            ('(b) net: forward, loss, backward, Adam step', plain),
            ('fastai and Python overhead: (c) - (a) - (b)', fastai - data - plain),
            ('(c) fastai training loop, all of it', fastai)]
    epoch = fastai * n_batches + ev
    print(f"{'part':<50} {'s/epoch':>8} {'ms/batch':>9} {'share':>7}")
    for label, s in rows:
        print(f"{label:<50} {s * n_batches:>8.1f} {s * 1e3:>9.0f} {s * n_batches / epoch:>7.1%}")
    print(f"{f'(d) evaluation: {n_eval:,} images, no gradients':<50} {ev:>8.1f} {'':>9} "
          f"{ev / epoch:>7.1%}   (batches of {eval_bs})")
    print(f"{'one epoch: (c) + (d)':<50} {epoch:>8.1f} {'':>9} {1:>7.0%}")
