"""Record the course's long runs into results/ (small JSON files with provenance), for the chapters
to load.

Each part reuses the records it finds (same recipe, same precision), and the training runs
checkpoint every epoch, so an interrupted recording continues where it stopped when it is started
again.

    # chapter 06: resnet34 / plain34, 3 recipes, 3 seeds (~30 min here)
    .venv/bin/python bench/record_results.py training
    # chapter 08: the recipe, seeds 0-2 (~25 min here)
    .venv/bin/python bench/record_results.py fashion
    # chapter 08: one change at a time, at 6 epochs (~30 min)
    .venv/bin/python bench/record_results.py ablations
    # chapter 05: the 12-epoch run of the four demo nets
    .venv/bin/python bench/record_results.py long
    # chapter 05: the demo's seeds 0-4 (bench_demo.py --record), fp32 and bf16
    .venv/bin/python bench/record_results.py demo
    # the teacher's guide: the wall time of each command of the lesson, in a fresh folder (~3 min)
    .venv/bin/python bench/record_results.py lesson
"""
import os, subprocess, sys, tempfile, time
from pathlib import Path
from fastcore.script import call_parse
from resnet_course.core import RESULTS, provenance, read_json, write_json
from resnet_course.degradation import DEMO_RECIPE, run_models

SEEDS = (0, 1, 2)
BENCH = Path(__file__).parent

def training():
    from resnet_course.training import TRAIN_RECIPE, fit_phases
    runs = ([('resnet34', s) for s in ('fine_tune', 'fine_tune_nosplit', 'one_cycle')]
            + [('plain34', 'one_cycle')])
    for seed in SEEDS:
        for net, schedule in runs:
            run_models([net], RESULTS/'training'/f'{schedule}-seed{seed}', base=TRAIN_RECIPE,
                       fit=fit_phases, weights=False, progress=False,
                       command='python bench/record_results.py training', schedule=schedule,
                       seed=seed)

def flags(change:dict) -> list:
    "`resnet-course fashion` options for a change to `FASHION_RECIPE`"
    out = []
    for k, v in change.items():
        opt = k.replace('_', '-')
        # a switched-off feature is a --no-... flag
        if isinstance(v, bool): out += [] if v else [f'--no-{opt}']
        else: out += [f'--{opt}', str(v)]
    return out

def fashion_run(out, change:dict, prec:str='auto'):
    "One `resnet-course fashion` command (its wall time, start-up included, is the record's)"
    cmd = [str(Path(sys.executable).parent/'resnet-course'), 'fashion', '--out', str(out),
           *flags(change)]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL,
                   env={**os.environ, 'RESNET_COURSE_PRECISION': prec})
    r = read_json(Path(out)/'result.json')
    print(f"{Path(out).name}: {r['test_accuracy']:.2%} in {r['seconds'] / 60:.1f} min", flush=True)

def fashion():
    for seed in SEEDS: fashion_run(RESULTS/'fashion'/f'seed{seed}', dict(seed=seed))

def ablations():
    from resnet_course.fashion import ABLATION_EPOCHS, FASHION_ABLATIONS
    for name, change in FASHION_ABLATIONS.items():
        change = dict(change, epochs=ABLATION_EPOCHS)
        fashion_run(RESULTS/'fashion'/f'ablation-{name}', change, change.pop('precision', 'auto'))

def long():
    run_models(['plain-20', 'plain-56', 'res-20', 'res-56'], RESULTS/'degradation-long',
               weights=False, progress=False, command='python bench/record_results.py long',
               **dict(DEMO_RECIPE, n_train=None, n_valid=None, n_eval=2000, epochs=12))

def demo():
    for prec in ('fp32', 'bf16'):
        subprocess.run([sys.executable, str(BENCH/'bench_demo.py'), '--seeds', '0', '1', '2', '3',
                        '4', '--prec', prec, '--record'], check=True)

# the commands of the teacher's guide's lesson, in the order the class runs them
LESSON = ['resnet-course summary resnet34', 'resnet-course demo', 'resnet-course lesion',
          'resnet-course gradients --depths 8 20 56 --seeds 1',
          'resnet-course landscape --depth 20']

def lesson():
    "Each lesson command's wall time (start-up included) in a fresh folder, as a student's laptop"
    steps, exe = [], Path(sys.executable).parent
    with tempfile.TemporaryDirectory() as work:
        for command in LESSON:
            start = time.perf_counter()
            subprocess.run([str(exe/command.split()[0]), *command.split()[1:]], cwd=work,
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            steps.append(dict(command=command, seconds=round(time.perf_counter() - start, 1)))
            print(f"{command}: {steps[-1]['seconds']} s", flush=True)
    write_json(RESULTS/'lesson.json',
               dict(steps=steps, provenance=provenance('python bench/record_results.py lesson')))

PARTS = dict(demo=demo, long=long, fashion=fashion, training=training, ablations=ablations,
             lesson=lesson)

@call_parse
def main(part:str):   # what to record: training, fashion, ablations, long, demo, lesson or all
    "Record the long runs of the course into results/"
    if part not in [*PARTS, 'all']:
        print(f'record_results.py: error: unknown part {part!r}; valid: {", ".join(PARTS)}, all',
              file=sys.stderr)
        sys.exit(2)
    for name, f in PARTS.items():
        if part in (name, 'all'): f()
