"""Training-step throughput of our ResNets vs torchvision's, measured in one process on the CPU.

One step = forward + backward + SGD step on a batch of 16 images at 128 px. After warm-up, the two
models of each pair are timed in alternation (so both see the same machine load) and the median of
the repeats is kept. Prints images per second and the ratio ours / torchvision (target:
at least 0.97).
"""
import time, statistics
import torch, torchvision
from torch import nn
from resnet_course.models import resnet

BS, SIZE, WARMUP, REPEATS = 16, 128, 2, 7

def step_time(model, x, y, opt):
    "Seconds for one training step"
    t = time.perf_counter()
    loss = nn.functional.cross_entropy(model(x), y)
    opt.zero_grad(); loss.backward(); opt.step()
    return time.perf_counter() - t

def bench_pair(depth):
    torch.manual_seed(0)
    x, y = torch.randn(BS, 3, SIZE, SIZE), torch.randint(0, 10, (BS,))
    models = {'ours': resnet(depth, 10),
              'torchvision': getattr(torchvision.models, f'resnet{depth}')(num_classes=10)}
    opts = {k: torch.optim.SGD(m.parameters(), lr=0.01, momentum=0.9) for k, m in models.items()}
    times = {k: [] for k in models}
    for i in range(WARMUP + REPEATS):
        for k, m in models.items():
            t = step_time(m.train(), x, y, opts[k])
            if i >= WARMUP: times[k].append(t)
    return {k: BS / statistics.median(v) for k, v in times.items()}

if __name__ == '__main__':
    print(f"training-step throughput, CPU ({torch.get_num_threads()} threads), "
          f"batch {BS} at {SIZE} px, median of {REPEATS} after {WARMUP} warm-up steps")
    print(f"{'model':<10} {'ours img/s':>11} {'torchvision img/s':>18} {'ours/torchvision':>17}")
    for depth in [18, 34, 50]:
        r = bench_pair(depth)
        print(f"resnet{depth:<4} {r['ours']:>11.1f} {r['torchvision']:>18.1f} "
              f"{r['ours'] / r['torchvision']:>17.3f}")
