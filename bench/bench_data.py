"""Does loading the data or computing the model limit a CPU run on Imagenette?

Data: images per second delivered by `imagenette_dls` at 128 px (batch 64): JPEG decoding and
`Resize(160)` per image in the DataLoader's worker processes, then `aug_transforms` + `Normalize`
per batch in the main process. Measured on a miniature Imagenette of 160 px JPEGs
(`make_mini_imagenette`, 320 training images, the size of the 160 px download), after one warm-up
epoch. Also the two halves on their own, and the folder check of `image_files` (a decode of every
file at reduced size, done once per process).

Model: training throughput (forward + backward + SGD step) of ResNets on random batches of the same
shape, median of a few steps after a warm-up step.

The slower of the two limits the run. The batch transforms run in the training process (on the GPU
when there is one), so on a CPU their time adds to every step. Timings on a shared machine are
noisy; compare ratios, not absolutes.
"""
import tempfile, time, statistics, warnings
from pathlib import Path
import torch
from torch import nn
from resnet_course.data import make_mini_imagenette, imagenette_dls, image_files
from resnet_course.models import model_from_name

SIZE, BS, N_TRAIN, EPOCHS = 128, 64, 32, 3
ARCHS, STEPS = ['resnet18', 'resnet34'], 3
IMAGENETTE_160_IMAGES = 9469 + 3925

def images_per_second(batches, dl, epochs=EPOCHS):
    "Images per second delivered by iterating `dl` for `epochs` epochs, after one warm-up epoch"
    for _ in dl: pass
    n, t = 0, time.perf_counter()
    for _ in range(epochs):
        for b in batches(dl): n += len(b[0])
    return n / (time.perf_counter() - t)

def batch_tfms_per_second(dl, epochs=EPOCHS):
    "Images per second of `dl`'s batch transforms alone, on undecorated batches of its items"
    raw = list(dl.new(after_batch=[]))
    dl.after_batch(raw[0])
    t = time.perf_counter()
    for _ in range(epochs):
        for b in raw: dl.after_batch(b)
    return epochs * sum(len(b[0]) for b in raw) / (time.perf_counter() - t)

def train_images_per_second(arch):
    "Training throughput of `arch` on random batches of BS images of SIZE px"
    torch.manual_seed(0)
    model = model_from_name(arch, n_classes=10).train()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    x, y = torch.randn(BS, 3, SIZE, SIZE), torch.randint(0, 10, (BS,))
    times = []
    for i in range(STEPS + 1):
        t = time.perf_counter()
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad(); loss.backward(); opt.step()
        if i: times.append(time.perf_counter() - t)
    return BS / statistics.median(times)

def row(what, ips, note=''): print(f"  {what:<58} {ips:>8.0f} img/s  {note}")

if __name__ == '__main__':
    warnings.simplefilter('ignore')
    with tempfile.TemporaryDirectory() as d:
        root = make_mini_imagenette(Path(d)/'mini', n_train=N_TRAIN, n_valid=4, size=160)
        n_files = 10 * (N_TRAIN + 4)
        t = time.perf_counter(); image_files(root); scan = n_files / (time.perf_counter() - t)
        print(f"data: miniature Imagenette, {10 * N_TRAIN} training JPEGs of 160 px; "
              f"batch {BS} at {SIZE} px; "
              f"CPU ({torch.get_num_threads()} threads); {EPOCHS} epochs after 1 warm-up epoch")
        row('folder check (image_files, first scan)', scan,
            f'→ about {IMAGENETTE_160_IMAGES / scan:.0f} s for all '
            f'{IMAGENETTE_160_IMAGES:,} images of Imagenette-160')
        loaders = {}
        for workers in [2, 0]:
            dls = imagenette_dls(size=SIZE, bs=BS, path=root, num_workers=workers)
            loaders[workers] = images_per_second(iter, dls.train)
            row(f'DataLoaders, {workers} workers: items + batch transforms', loaders[workers])
        row('  items only (decode + Resize), 2 workers',
            images_per_second(iter, dls.train.new(after_batch=[], num_workers=2)))
        batch_tfms = batch_tfms_per_second(dls.train)
        row('  batch transforms only (aug_transforms + Normalize)', batch_tfms)
    best = max(loaders.values())
    print(f"model: training step (forward + backward + SGD), random batches of {BS} at {SIZE} px, "
          f"median of {STEPS} after 1 warm-up step")
    for arch in ARCHS:
        ips = train_images_per_second(arch)
        verdict = 'compute limits the run' if ips < best else 'loading limits the run'
        row(arch, ips, f'data/model = {best / ips:.1f}: {verdict}; the batch transforms, '
                       f'in the same process, add {ips / batch_tfms:.0%} to each step')
