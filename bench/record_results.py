"""Record the course's long runs into results/ (small JSON files with provenance), for the chapters to load.

Each part reuses the records it finds (same recipe, same precision), and the training runs checkpoint every
epoch, so an interrupted recording continues where it stopped when it is started again.

    .venv/bin/python bench/record_results.py training       # chapter 06: resnet34 / plain34, 3 recipes, 3 seeds (~1 h here)
    .venv/bin/python bench/record_results.py fashion        # chapter 08: the recipe, seeds 0-2, and its ablations
    .venv/bin/python bench/record_results.py long           # chapter 05: the 12-epoch run of the four demo nets
    .venv/bin/python bench/record_results.py demo           # chapter 05: the demo's seeds 0-4 (bench_demo.py --record), fp32 and bf16
"""
import subprocess, sys
from pathlib import Path
from fastcore.script import call_parse
from resnet_course.core import RESULTS
from resnet_course.degradation import DEMO_RECIPE, run_models

SEEDS = (0, 1, 2)
BENCH = Path(__file__).parent

def training():
    from resnet_course.training import TRAIN_RECIPE, fit_phases
    runs = [('resnet34', s) for s in ('fine_tune', 'fine_tune_nosplit', 'one_cycle')] + [('plain34', 'one_cycle')]
    for seed in SEEDS:
        for net, schedule in runs:
            run_models([net], RESULTS/'training'/f'{schedule}-seed{seed}', base=TRAIN_RECIPE, fit=fit_phases, weights=False,
                       progress=False, command=f'python bench/record_results.py training', schedule=schedule, seed=seed)

def fashion():
    from resnet_course.fashion import FASHION_ABLATIONS, FASHION_RECIPE, train_fashion
    for seed in SEEDS:
        r = train_fashion(dict(FASHION_RECIPE, seed=seed), RESULTS/'fashion'/f'seed{seed}', progress=False,
                          command='python bench/record_results.py fashion')
        print(f"seed {seed}: {r['test_accuracy']:.2%} in {r['seconds'] / 60:.1f} min", flush=True)
    for name, change in FASHION_ABLATIONS.items():
        r = train_fashion({**FASHION_RECIPE, **change}, RESULTS/'fashion'/f'ablation-{name}', progress=False,
                          command='python bench/record_results.py fashion')
        print(f"{name}: {r['test_accuracy']:.2%} in {r['seconds'] / 60:.1f} min", flush=True)

def long():
    run_models(['plain-20', 'plain-56', 'res-20', 'res-56'], RESULTS/'degradation-long', weights=False, progress=False,
               command='python bench/record_results.py long',
               **dict(DEMO_RECIPE, n_train=None, n_valid=None, n_eval=2000, epochs=12))

def demo():
    for prec in ('fp32', 'bf16'):
        subprocess.run([sys.executable, str(BENCH/'bench_demo.py'), '--seeds', '0', '1', '2', '3', '4', '--precision', prec,
                        '--record'], check=True)

PARTS = dict(training=training, fashion=fashion, long=long, demo=demo)

@call_parse
def main(part:str):   # what to record: training, fashion, long, demo or all
    "Record the long runs of the course into results/"
    if part not in [*PARTS, 'all']: sys.exit(f'unknown part {part!r}; valid: {", ".join(PARTS)}, all')
    for name, f in PARTS.items():
        if part in (name, 'all'): f()
