"""What each lever of chapter 08's recipe costs per image, in fp32 and in bf16, on this CPU.

The recipe's net (`FASHION_RECIPE`: res-20, width 24, a stem of stride 2, batches of 256 in
channels-last) and one change at a time: the layout, the batch size, the width, the depth, the
stem's stride, pictures shrunk to 20 px (the first epochs of progressive resizing, chapter 08).
For each, one training step (forward, backward, Adam step) is timed in fp32 and in bf16 mixed
precision (`torch.autocast`, what `core.CPUMixedPrecision` does inside fastai), in alternation
after warm-up so that both see the same machine load; the median of the repeats is kept. Then the
cost of evaluation (forward only, no gradients, batches of 512), which the runner pays after every
epoch (2,000 training and 5,000 validation images) and at the end (test-time augmentation: twice).
The last column is what one epoch of the recipe's 55,000 training images would take at that speed.
Read the ratios: absolute times on a shared machine vary by ±30% from run to run.

    .venv/bin/python bench/bench_levers.py
"""
import statistics, time
import torch
from resnet_course.core import cpu_has_bf16, cpu_name
from resnet_course.fashion import FASHION_RECIPE
from bench_precision import step           # one timed training step, the same as there

BASE = FASHION_RECIPE
# one change to the recipe each: its label, the change, the batch size, the pictures' size
LEVERS = [('the recipe', {}, BASE.bs), ('NCHW layout', dict(channels_last=False), BASE.bs),
          ('batch 512', {}, 512), ('width 16', dict(width=16), BASE.bs),
          ('width 32', dict(width=32), BASE.bs), ('res-14', dict(net='res-14'), BASE.bs),
          ('res-8', dict(net='res-8'), BASE.bs), ('stem stride 1', dict(stem_stride=1), BASE.bs),
          ('20 px pictures', {}, BASE.bs, 20)]
PRECISIONS = ('fp32', 'bf16')
WARMUP, REPEATS, EVAL_BS, PX = 2, 5, 512, 28
TRAIN_IMAGES = 60_000 - BASE.holdout

def net(recipe):
    m = recipe.model(10, 1).train()
    return m.to(memory_format=torch.channels_last) if recipe.channels_last else m

def batch(recipe, bs, px=PX):
    x = torch.randn(bs, 1, px, px)
    return (x.to(memory_format=torch.channels_last) if recipe.channels_last else x,
            torch.randint(0, 10, (bs,)))

def eval_step(model, x, prec):
    t = time.perf_counter()
    with torch.no_grad(), torch.autocast('cpu', dtype=torch.bfloat16, enabled=prec == 'bf16'):
        model(x)
    return time.perf_counter() - t

def alternate(steps:dict) -> dict:
    "Median seconds of each precision's step, timed in alternation after warm-up"
    times = {k: [] for k in steps}
    for i in range(WARMUP + REPEATS):
        for k, f in steps.items():
            t = f()
            if i >= WARMUP: times[k].append(t)
    return {k: statistics.median(v) for k, v in times.items()}

def bench_train(recipe, bs, px=PX) -> dict:
    torch.manual_seed(0)
    x, y = batch(recipe, bs, px)
    models = {p: net(recipe) for p in PRECISIONS}
    opts = {p: torch.optim.Adam(models[p].parameters(), lr=1e-3) for p in PRECISIONS}
    secs = alternate({p: (lambda p=p: step(models[p], opts[p], x, y, p)) for p in PRECISIONS})
    return {p: bs / s for p, s in secs.items()}

def bench_eval(recipe) -> dict:
    torch.manual_seed(0)
    x, _ = batch(recipe, EVAL_BS)
    model = net(recipe).eval()
    secs = alternate({p: (lambda p=p: eval_step(model, x, p)) for p in PRECISIONS})
    return {p: EVAL_BS / s for p, s in secs.items()}

if __name__ == '__main__':
    print(f"CPU: {cpu_name()}, {torch.get_num_threads()} threads, native bf16: {cpu_has_bf16()}; "
          f"median of {REPEATS} steps after {WARMUP} warm-up steps; {PX}×{PX} px, 1 channel")
    print(f"{'training step':<16} {'fp32 img/s':>11} {'bf16 img/s':>11} {'bf16/fp32':>10} "
          f"{'fp32 s/epoch':>13} {'bf16 s/epoch':>13}")
    for label, change, bs, *px in LEVERS:
        r = bench_train(BASE.replace(**change), bs, *px)
        print(f"{label:<16} {r['fp32']:>11.0f} {r['bf16']:>11.0f} {r['bf16'] / r['fp32']:>10.2f} "
              f"{TRAIN_IMAGES / r['fp32']:>13.1f} {TRAIN_IMAGES / r['bf16']:>13.1f}")
    r = bench_eval(BASE)
    per_epoch = 2_000 + BASE.holdout                  # the runner's evaluation after every epoch
    print(f"{'evaluation':<16} {r['fp32']:>11.0f} {r['bf16']:>11.0f} "
          f"{r['bf16'] / r['fp32']:>10.2f} "
          f"{per_epoch / r['fp32']:>13.1f} {per_epoch / r['bf16']:>13.1f}"
          f"   (forward only, batch {EVAL_BS}; s/epoch: {per_epoch:,} images)")
