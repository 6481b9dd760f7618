"""Wall time of the classroom demo, `resnet-course demo`, start-up included: N runs, each in a
fresh folder.

Prints every run's time and headline figures (plain gap, residual gap, and whether the chapter's
`DEMO_CLAIMS` hold), then the median time and the load average before and after (other processes
on the machine inflate the times). `--prec` sets RESNET_COURSE_PRECISION for the runs (fp32, bf16,
auto); `--seeds 0 1 2 3 4` runs each seed once, which checks the claims on other seeds; `--record`
adds the runs to results/demo_seeds.json (the degradation chapter's table of seeds), replacing
earlier runs of the same seed and precision.

    .venv/bin/python bench/bench_demo.py            # 3 runs of the default demo (seed 0)
    .venv/bin/python bench/bench_demo.py --seeds 0 1 2 3 4 --prec bf16 --record
"""
import os, statistics, subprocess, sys, tempfile, time
from pathlib import Path
from typing import Annotated
from fastcore.script import call_parse
from fastcore.xtras import modified_env
from resnet_course.core import PRECISIONS, RESULTS, provenance, read_json, write_json
from resnet_course.degradation import DEMO_CLAIMS, degradation_gaps, failed_claims

RECORD = RESULTS/'demo_seeds.json'

def run(seed:int, prec:str) -> dict:
    "One `resnet-course demo --seed seed` in a fresh folder: seconds, training errors, the headline"
    cmd = [str(Path(sys.executable).parent/'resnet-course'), 'demo', '--seed', str(seed)]
    with tempfile.TemporaryDirectory() as d:
        start = time.perf_counter()
        res = subprocess.run(cmd + ['--out', str(Path(d)/'demo_output')], capture_output=True,
                             text=True, env={**os.environ, 'RESNET_COURSE_PRECISION': prec})
        seconds = time.perf_counter() - start
        if res.returncode: sys.exit(f'demo failed (exit {res.returncode}):\n{res.stderr[-3000:]}')
        errors = {r['name']: r['train_error']
                  for r in read_json(Path(d)/'demo_output'/'results.json')}
    with modified_env(RESNET_COURSE_PRECISION=prec):
        p = provenance(' '.join(['resnet-course', *cmd[1:]]))
    return dict(seed=seed, seconds=round(seconds, 1), errors=errors,
                headline=res.stdout.strip().splitlines()[-3:], provenance=p)

@call_parse
def main(
    runs:int=3,                                  # number of runs of seed 0 (ignored with --seeds)
    seeds:Annotated[int, dict(nargs='+')]=None,  # one run per seed, to check claims on other seeds
    prec:str='auto',                             # RESNET_COURSE_PRECISION: auto, fp32, bf16
    record:bool=False,                           # add the runs to results/demo_seeds.json
):
    "Wall time of the classroom demo: the median of several runs, start-up included"
    if prec not in PRECISIONS:
        sys.exit(f'--prec must be one of {", ".join(PRECISIONS)}, got {prec!r}')
    seeds = seeds or [0] * runs
    print(f'load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs; '
          f'precision {prec}', flush=True)
    done = []
    for i, seed in enumerate(seeds, 1):
        r = run(seed, prec)
        done.append(r)
        g, failed = degradation_gaps(r['errors']), failed_claims(r['errors'], DEMO_CLAIMS)
        print(f"run {i} (seed {seed}): {r['seconds']:.1f} s   training error (%): "
              + ', '.join(f'{n} {100 * v:.1f}' for n, v in r['errors'].items())
              + f"   plain gap {g['plain']:+.1f}, residual gap {g['residual']:+.1f} points "
              + ('(claims hold)' if not failed else f"(FAILED: {'; '.join(failed)})"))
        for line in r['headline']: print('    ' + line, flush=True)
        if record:
            old = read_json(RECORD)['runs'] if RECORD.exists() else []
            key = (r['provenance']['precision'], seed)
            runs_ = ([o for o in old if (o['precision'], o['seed']) != key]
                     + [dict(precision=key[0], **r)])
            write_json(RECORD, dict(runs=sorted(runs_, key=lambda o: (o['precision'], o['seed']))))
    print(f"median wall time over {len(done)} runs: "
          f"{statistics.median(r['seconds'] for r in done):.1f} s")
    print(f'load average after: {os.getloadavg()[0]:.2f}')
