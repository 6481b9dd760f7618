#!/usr/bin/env bash
# The course on a borrowed CUDA machine that has Python 3.12, torch, torchvision, numpy, pandas, ...
# and no network (README: Checking a GPU). Installs wheels/ (`make wheels`, on a machine with
# network) on top of the machine's packages, checks the GPU and the imports, runs the GPU tests and
# the training tests on the device, then bench/bench_gpu.py.
#   usage: bash bench/gpu_check.sh OUT_DIR     (PYTHON=... for another interpreter than python3)
# Writes OUT_DIR/gpu_check.log (all it prints) and OUT_DIR/gpu_figures.json; exits non-zero on any
# failure (after the figures, when only tests failed). Each step has a time limit, 5 min 30 s in all,
# so that a try and a retry fit in the machine's 15 minutes; it should take about 3.
set -euo pipefail
usage='usage: bash bench/gpu_check.sh OUT_DIR (the folder for gpu_check.log and gpu_figures.json)'
[ $# -eq 1 ] && [ -n "$1" ] || { echo "gpu_check: $usage" >&2; exit 2; }
out=$(realpath -m "$1")
cd "$(dirname "$0")/.."
compgen -G 'wheels/resnet_course-*.whl' >/dev/null || {
  echo "gpu_check: no wheels/ with the course's wheel in $PWD; run 'make wheels' on a machine" \
       "with network and bring wheels/ along" >&2; exit 2; }
mkdir -p "$out"
PY=${PYTHON:-python3}

step() {  # step NAME SECONDS COMMAND...: run COMMAND within SECONDS; one clear line if it fails
  local name=$1 limit=$2 start=$SECONDS rc=0; shift 2
  echo "== $name (at most $limit s)"
  timeout --kill-after=5 "$limit" "$@" || rc=$?
  if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then echo "gpu_check: FAILED: $name ran past its $limit s"
  elif [ $rc -ne 0 ]; then echo "gpu_check: FAILED: $name (exit $rc)"
  else echo "== $name: done in $((SECONDS - start)) s"; fi
  return $rc
}

# Before the course is imported: the GPU, and the wheel of the course built from these sources
# (a wheel made before resnet_course/ changed would check old code).
CHECK='
import sys, importlib.metadata as md
from pathlib import Path
try: import torch
except ImportError as e: sys.exit(f"gpu_check: {sys.executable} has no torch ({e}); set PYTHON")
if not torch.cuda.is_available():
    sys.exit(f"gpu_check: no CUDA GPU visible to torch {torch.__version__}")
try: import resnet_course, resnet_course.training, resnet_course.data, resnet_course.cli
except ImportError as e:
    sys.exit(f"gpu_check: the course does not import ({type(e).__name__}: {e}); add what is "
             "missing to GPU_WHEELS in the Makefile and run make wheels again")
here, there = Path("resnet_course"), Path(resnet_course.__file__).parent
stale = ", ".join(str(f) for f in sorted(here.rglob("*"))
                  if f.is_file() and "__pycache__" not in f.parts
                  and not ((there/f.relative_to(here)).is_file()
                           and (there/f.relative_to(here)).read_bytes() == f.read_bytes()))
if stale: sys.exit(f"gpu_check: wheels/ holds another version of the course ({stale} differ): "
                   "run make wheels again")
p = torch.cuda.get_device_properties(0)
print(f"GPU {p.name}, {p.total_memory / 2**30:.0f} GiB, compute capability {p.major}.{p.minor}; "
      f"Python {sys.version.split()[0]}, torch {torch.__version__} (CUDA {torch.version.cuda}, "
      f"cuDNN {torch.backends.cudnn.version()}); "
      + ", ".join(f"{d} {md.version(d)}" for d in ("torchvision", "numpy", "fastai", "fastcore")))
'

main() {
  echo "gpu_check: $(date '+%Y-%m-%d %H:%M:%S') on ${HOSTNAME:-this machine}, output in $out"
  site=$(mktemp -d)
  trap 'rm -rf "$site"' EXIT
  if "$PY" -m pip --version >/dev/null 2>&1; then
    step 'install wheels/' 30 "$PY" -m pip install -q --disable-pip-version-check --no-index \
      --no-deps --no-compile --target "$site" wheels/*.whl || exit 1
  else                  # wheels are zip files: unpacked, they are installed
    step "unpack wheels/ ($PY has no pip)" 30 "$PY" -c 'import sys, zipfile
for w in sys.argv[2:]: zipfile.ZipFile(w).extractall(sys.argv[1])' "$site" wheels/*.whl || exit 1
  fi
  # on top of the machine's packages (PYTHONPATH comes before them); -P: the installed course,
  # not ./resnet_course (CHECK compares the two)
  export PYTHONPATH=$site MPLBACKEND=Agg
  step 'GPU and imports' 40 "$PY" -P -c "$CHECK" || exit 1
  # the figures even when a test fails: the machine is lent for one try and a retry
  local failed=()
  step 'GPU tests and training tests on the GPU' 140 env RESNET_COURSE_QUICK=1 "$PY" -P -m pytest \
    -q -rs -p no:cacheprovider --durations=5 tests/test_gpu.py tests/test_training.py \
    || failed+=(tests)
  step 'GPU figures (bench/bench_gpu.py)' 120 "$PY" bench/bench_gpu.py \
    --out "$out/gpu_figures.json" || failed+=(figures)
  if [ ${#failed[@]} -gt 0 ]; then
    echo "gpu_check: FAILED (${failed[*]}) after $SECONDS s; the log: $out/gpu_check.log"; exit 1
  fi
  echo "gpu_check: passed in $SECONDS s; figures in $out/gpu_figures.json"
}

main 2>&1 | tee "$out/gpu_check.log"
