# `make demo` and `make test` each set up a fresh machine first (.venv with torch, fastai, nbdev 3).
VENV  ?= .venv
BIN    = $(VENV)/bin
TORCH ?= torch==2.14.1 torchvision==0.29.1
QUICK  = RESNET_COURSE_QUICK=1

.PHONY: install demo test sync lint nbtest pytest nbs bench record docs wheels

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q $(TORCH)
	$(BIN)/pip install -q -e ".[dev]"
	touch $@

install: $(VENV)/.installed

demo: install                          ## the classroom demo (about 25 s on 2 CPU cores with bf16, 35 s in fp32)
	$(BIN)/resnet-course demo --out demo_output

test: install sync lint nbtest pytest  ## everything CI runs

sync: install                          ## fail if nbdev-export or nbdev-clean would change a tracked file
	@before="$$(git status --porcelain; git diff)"; \
	$(BIN)/nbdev-export && $(BIN)/nbdev-clean; \
	after="$$(git status --porcelain; git diff)"; \
	if [ "$$before" != "$$after" ]; then git status --short; \
	  echo "sync check failed: nbdev-export/nbdev-clean changed files; run them and commit the result"; exit 1; fi
	@echo "sync check: library and notebooks in sync"

lint: install                          ## ruff over the library, the notebooks, the tests, the benchmarks and the docs build
	$(BIN)/ruff check -q resnet_course nbs tests bench docs

nbtest: install                        ## run every notebook in quick mode, two at a time with one torch thread each
	$(QUICK) OMP_NUM_THREADS=1 $(BIN)/nbdev-test --n-workers 2 --timing

pytest: install
	$(QUICK) $(BIN)/python -m pytest -q -rs tests

nbs: install                           ## re-execute notebooks (NB=path for one) in quick mode, save outputs, clean, export
	$(QUICK) $(BIN)/nbdev-test --save --n-workers 1 --timing $(NB)
	$(BIN)/nbdev-clean
	$(BIN)/nbdev-export

bench: install                         ## speed figures (not tests): ours vs torchvision, data vs model, demo time
	$(BIN)/python bench/bench_models.py
	$(BIN)/python bench/bench_precision.py
	$(BIN)/python bench/bench_data.py
	$(BIN)/python bench/bench_demo.py --runs 1 --prec fp32
	$(BIN)/python bench/bench_demo.py --runs 1 --prec bf16

record: install                        ## the long runs the chapters load, into results/ (about 90 minutes on 2 cores; resumes)
	$(BIN)/python bench/record_results.py all

docs: install                          ## the course website, offline, into docs/_build/html
	$(BIN)/python docs/build.py

GPU_PY      ?= 3.12
GPU_WHEELS   = fastai==2.8.12 fastcore==2.2.41 fastprogress==1.1.6 fasttransform==0.0.5 fastdownload==0.0.8 \
               plum-dispatch==2.9.0 beartype==0.23.1 rich==15.0.0 markdown-it-py==4.3.0 mdurl==0.1.2 Pygments==2.21.0 \
               PyYAML==6.0.4 requests==2.34.2 urllib3==2.8.0 idna==3.20 certifi==2026.10.19.post1 charset-normalizer==3.5.3 \
               pandas==3.1.1 python-dateutil==4.0.0 six==1.17.0 tzdata==2026.6 matplotlib==3.11.2 contourpy==1.3.3 \
               cycler==0.12.1 fonttools==4.68.0 kiwisolver==1.5.1 pyparsing==3.3.3 packaging==26.4 scipy==1.17.1 \
               scikit-learn==1.9.1 joblib==1.6.0 threadpoolctl==3.8.0 cloudpickle==3.1.3 pytest==9.2.0 iniconfig==2.3.1 \
               pluggy==1.7.0

wheels: install                        ## wheels/ for an offline GPU machine with torch (bench/gpu_check.sh): the course and what it needs
	rm -rf wheels && mkdir wheels
	$(BIN)/pip wheel -q --no-deps -w wheels .
	$(BIN)/pip download -q --no-deps -d wheels --only-binary=:all: --python-version $(GPU_PY) \
	  --platform manylinux2014_x86_64 --platform manylinux_2_17_x86_64 --platform manylinux_2_28_x86_64 $(GPU_WHEELS)
	@du -sh wheels
