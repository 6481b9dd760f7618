"""Wall time of the classroom demo, `resnet-course demo`, start-up included: N runs, each in a fresh folder.

Prints every run's time and headline figures (plain gap, residual gap), then the median time, and the load
average before and after (other processes on the machine inflate the times). With `--seeds 0 1 2` each run
uses another seed, which also checks that the demo's claims are not luck of one seed.

    .venv/bin/python bench/bench_demo.py                 # 3 runs of the default demo (seed 0)
    .venv/bin/python bench/bench_demo.py --seeds 0 1 2 3 4
"""
import json, os, statistics, subprocess, sys, tempfile, time
from pathlib import Path
from typing import Annotated
from fastcore.script import call_parse

def run(seed:int) -> dict:
    "One `resnet-course demo --seed seed` in a fresh folder: seconds, training errors (%) and the headline"
    cmd = Path(sys.executable).parent/'resnet-course'
    with tempfile.TemporaryDirectory() as d:
        out = Path(d)/'demo_output'
        start = time.perf_counter()
        res = subprocess.run([str(cmd), 'demo', '--out', str(out), '--seed', str(seed)], capture_output=True, text=True)
        seconds = time.perf_counter() - start
        if res.returncode: sys.exit(f'demo failed (exit {res.returncode}):\n{res.stderr[-3000:]}')
        err = {r['name']: 100 * r['train_error'] for r in json.loads((out/'results.json').read_text())}
    return dict(seconds=seconds, err=err, headline=res.stdout.strip().splitlines()[-3:])

@call_parse
def main(
    runs:int=3,                                             # number of runs of seed 0 (ignored with --seeds)
    seeds:Annotated[int, dict(nargs='+')]=None,             # one run per seed, to check the claims on other seeds
):
    "Wall time of the classroom demo: the median of several runs, start-up included"
    seeds = seeds or [0] * runs
    print(f'load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs', flush=True)
    times = []
    for i, seed in enumerate(seeds, 1):
        r = run(seed)
        times.append(r['seconds'])
        e = r['err']
        plain_gap, res_gap = e['plain-56'] - e['plain-20'], e['res-56'] - e['res-20']
        ok = plain_gap >= 10 and res_gap <= plain_gap / 3
        print(f"run {i} (seed {seed}): {r['seconds']:.1f} s   training error (%): "
              + ', '.join(f'{n} {v:.1f}' for n, v in e.items())
              + f"   plain gap {plain_gap:+.1f}, residual gap {res_gap:+.1f} points (claims {'hold' if ok else 'FAIL'})")
        for line in r['headline']: print('    ' + line, flush=True)
    print(f'median wall time over {len(times)} runs: {statistics.median(times):.1f} s (limit 90 s on 2 CPU cores)')
    print(f'load average after: {os.getloadavg()[0]:.2f}')

