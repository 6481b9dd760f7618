"""Training throughput in fp32 and in bf16 mixed precision on this CPU.

One step = forward + backward + SGD step, with `torch.autocast('cpu', dtype=torch.bfloat16)` for
bf16 (what `core.CPUMixedPrecision` does inside fastai). For each net the two precisions are timed
in alternation after warm-up (so they see the same machine load) and the median of the repeats is
kept. Read the ratios: absolute times on a shared machine vary by ±30% from run to run.

    .venv/bin/python bench/bench_precision.py
"""
import statistics, time
import torch
from torch import nn
from resnet_course.core import cpu_has_bf16, cpu_name
from resnet_course.models import model_from_name

NETS = [('res-20', 8, 1, 28, 128), ('res-56', 8, 1, 28, 128), ('plain-56', 8, 1, 28, 128),
        ('res-20', 16, 1, 28, 128), ('resnet18', None, 3, 64, 32),
        ('resnet34', None, 3, 64, 32)]                        # name, width, channels, px, batch
PRECISIONS = ('fp32', 'bf16')
WARMUP, REPEATS = 2, 5

def step(model, opt, x, y, prec):
    t = time.perf_counter()
    with torch.autocast('cpu', dtype=torch.bfloat16, enabled=prec == 'bf16'):
        loss = nn.functional.cross_entropy(model(x), y)
    opt.zero_grad(); loss.backward(); opt.step()
    return time.perf_counter() - t

def bench(name, width, channels, px, bs):
    torch.manual_seed(0)
    x, y = torch.randn(bs, channels, px, px), torch.randint(0, 10, (bs,))
    runs = {}
    for prec in PRECISIONS:
        m = model_from_name(name, 10, channels, width or 16).train()
        runs[prec] = m, torch.optim.SGD(m.parameters(), lr=0.01, momentum=0.9), []
    for i in range(WARMUP + REPEATS):
        for prec, (m, opt, times) in runs.items():
            t = step(m, opt, x, y, prec)
            if i >= WARMUP: times.append(t)
    return {k: bs / statistics.median(v[2]) for k, v in runs.items()}

if __name__ == '__main__':
    print(f"CPU: {cpu_name()}, {torch.get_num_threads()} threads, native bf16: {cpu_has_bf16()}; "
          f"median of {REPEATS} training steps after {WARMUP} warm-up steps")
    print(f"{'net':<14} {'input':>16} {'fp32 img/s':>11} {'bf16 img/s':>11} {'bf16/fp32':>10}")
    for name, width, channels, px, bs in NETS:
        r = bench(name, width, channels, px, bs)
        label = f'{name} w{width}' if width else name
        print(f"{label:<14} {f'{channels}×{px}², batch {bs}':>16} {r['fp32']:>11.0f} "
              f"{r['bf16']:>11.0f} {r['bf16'] / r['fp32']:>10.2f}")
