"""Wall time of the classroom demo, `resnet-course demo`, start-up included: N runs, each in a
fresh folder (`resnet_course.cli.timed_demo`).

Prints every run's time and headline figures (plain gap, residual gap, and whether the chapter's
`DEMO_CLAIMS` hold), then the median time and the load average before and after (other processes
on the machine inflate the times). `--prec` is the runs' `--precision` (fp32, bf16, auto);
`--seeds 0 1 2 3 4` runs each seed once, which checks the claims on other seeds. (The seeds the
degradation chapter loads are recorded by `resnet-course record demo`.)

    .venv/bin/python bench/bench_demo.py            # 3 runs of the default demo (seed 0)
    .venv/bin/python bench/bench_demo.py --seeds 0 1 2 3 4 --prec fp32
"""
import os, statistics, sys
from typing import Annotated
from fastcore.script import call_parse
from resnet_course.core import PRECISIONS
from resnet_course.cli import timed_demo
from resnet_course.degradation import DEMO_CLAIMS, degradation_gaps, failed_claims

@call_parse
def main(
    runs:int=3,                                  # number of runs of seed 0 (ignored with --seeds)
    seeds:Annotated[int, dict(nargs='+')]=None,  # one run per seed, to check claims on other seeds
    prec:str='auto',                             # the demo's --precision: auto, fp32, bf16
):
    "Wall time of the classroom demo: the median of several runs, start-up included"
    if prec not in PRECISIONS:
        sys.exit(f'--prec must be one of {", ".join(PRECISIONS)}, got {prec!r}')
    seeds = seeds or [0] * runs
    print(f'load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs; '
          f'precision {prec}', flush=True)
    done = []
    for i, seed in enumerate(seeds, 1):
        r = timed_demo(seed, prec)
        done.append(r)
        g, failed = degradation_gaps(r['errors']), failed_claims(r['errors'], DEMO_CLAIMS)
        print(f"run {i} (seed {seed}): {r['seconds']:.1f} s   training error (%): "
              + ', '.join(f'{n} {100 * v:.1f}' for n, v in r['errors'].items())
              + f"   plain gap {g['plain']:+.1f}, residual gap {g['residual']:+.1f} points "
              + ('(claims hold)' if not failed else f"(FAILED: {'; '.join(failed)})"))
        for line in r['headline']: print('    ' + line, flush=True)
    print(f"median wall time over {len(done)} runs: "
          f"{statistics.median(r['seconds'] for r in done):.1f} s")
    print(f'load average after: {os.getloadavg()[0]:.2f}')
