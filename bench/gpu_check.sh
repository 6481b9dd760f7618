#!/usr/bin/env bash
# On a CUDA machine with Python + torch + torchvision and no network: install the course from wheels/
# (`make wheels` here), run the GPU-only checks and the tests that train on the device, then print the
# GPU figures. Exits non-zero on any failure; about 5 minutes, at most 8.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d wheels ] || { echo "gpu_check: no wheels/ folder; run 'make wheels' on a machine with network first" >&2; exit 2; }
python3 -c 'import torch; assert torch.cuda.is_available(), "no CUDA GPU"'
venv=$(mktemp -d)/venv
python3 -m venv --system-site-packages "$venv"              # keeps the machine's torch and torchvision
"$venv/bin/pip" install -q --no-index --no-deps wheels/*.whl
export RESNET_COURSE_QUICK=1
timeout 300 "$venv/bin/python" -m pytest -q -rs -p no:cacheprovider tests/test_gpu.py tests/test_training.py
timeout 180 "$venv/bin/python" bench/bench_gpu.py
