"""GPU figures for README (run by bench/gpu_check.sh): resnet34 trained through `course_learner` on
a generated Imagenette-layout folder of 224-px JPEGs (fp16 autocast, channels-last); ours vs
torchvision's resnet34 under the same AMP settings; and how many images per second the CPU decodes
and augments (does the GPU wait for it?)."""
import tempfile, time
from pathlib import Path
import torch, torchvision
from fastcore.script import call_parse
from resnet_course.data import imagenette_dls, make_mini_imagenette
from resnet_course.models import model_from_name
from resnet_course.training import course_learner

def train_img_s(model, bs:int, steps:int, size:int=224) -> float:
    "Training images/s of `model` on random batches: fp16 autocast, GradScaler, channels-last, Adam"
    model = model.cuda().to(memory_format=torch.channels_last)
    opt, scaler = torch.optim.Adam(model.parameters(), 1e-3), torch.amp.GradScaler('cuda')
    x = torch.randn(bs, 3, size, size, device='cuda').to(memory_format=torch.channels_last)
    y = torch.randint(0, 10, (bs,), device='cuda')
    for i in range(steps + 5):
        if i == 5: torch.cuda.synchronize(); start = time.perf_counter()
        with torch.autocast('cuda', dtype=torch.float16):
            loss = torch.nn.functional.cross_entropy(model(x), y)
        opt.zero_grad(); scaler.scale(loss).backward(); scaler.step(opt); scaler.update()
    torch.cuda.synchronize()
    return bs * steps / (time.perf_counter() - start)

@call_parse
def main(steps:int=300,   # training steps of the course_learner run
         bs:int=64,       # batch size
         per_class:int=100):  # generated training JPEGs per class
    "Print the GPU figures"
    print(f'GPU: {torch.cuda.get_device_name()}, torch {torch.__version__}, '
          f'torchvision {torchvision.__version__}')
    with tempfile.TemporaryDirectory() as tmp:
        path = make_mini_imagenette(Path(tmp)/'imagenette', n_train=per_class, n_valid=10, size=256)
        dls = imagenette_dls(size=224, bs=bs, path=path, presize=256, num_workers=8)
        start, n = time.perf_counter(), 0
        for xb, _ in dls.train: n += len(xb)
        torch.cuda.synchronize()
        print(f'data: {n / (time.perf_counter() - start):,.0f} img/s decoded and augmented '
              '(JPEG, 8 workers)')
        learn = course_learner(dls, 'resnet34', path=tmp, seed=0)
        epochs = max(1, round(steps / len(dls.train)))
        start = time.perf_counter()
        with learn.no_bar(): learn.fit_one_cycle(epochs, 1e-3)
        print(f'course_learner resnet34, fp16 + channels-last: {epochs * len(dls.train)} steps, '
              f'{epochs * len(dls.train) * bs / (time.perf_counter() - start):,.0f} img/s '
              f'end to end; final loss {learn.recorder.values[-1][0]:.3f}')
    for name, model in [('ours', model_from_name('resnet34', n_classes=10)),
                        ('torchvision', torchvision.models.resnet34(num_classes=10))]:
        print(f'{name} resnet34 training, model only: {train_img_s(model, bs, 50):,.0f} img/s')
