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

demo: install                          ## the classroom demo (about 16 s on 2 CPU cores with bf16, 18 s in fp32)
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
	rm -rf nbs/runs                    # nets an earlier run left (maybe in another precision): start clean
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
	$(BIN)/python bench/bench_levers.py
	$(BIN)/python bench/bench_profile.py
	$(BIN)/python bench/bench_data.py
	$(BIN)/python bench/bench_demo.py --runs 1 --prec fp32
	$(BIN)/python bench/bench_demo.py --runs 1 --prec bf16

record: install                        ## the long runs the chapters load, into results/ (about 4 hours on 2 cores; resumes)
	$(BIN)/resnet-course record all

docs: install                          ## the course website and the lesson's slides, offline, into docs/_build/html
	$(BIN)/python docs/build.py
	$(BIN)/python docs/slides.py

# The borrowed GPU machine (bench/gpu_check.sh, README: Checking a GPU) has Python 3.12, torch 2.11,
# torchvision 0.26, numpy 2.5, pandas, matplotlib, scipy, scikit-learn, pillow, pytest, requests,
# pyyaml, rich, packaging and their requirements, and no network. wheels/ brings what the course
# imports beyond that, at the versions of $(VENV): the fastai family; fastprogress imports fasthtml,
# which imports starlette, anyio, itsdangerous and python-multipart (not its other requirements);
# cloudpickle for fastai (only joblib >= 1.6 brings it); typing_extensions as anyio needs >= 4.16.
# GPU_LIMIT: MiB for the working tree and wheels/ together (the machine takes 64 MiB in all)
GPU_PY      ?= 3.12
GPU_LIMIT   ?= 60
GPU_WHEELS   = fastai fastcore fastprogress fasttransform fastdownload plum-dispatch beartype \
               python-fasthtml starlette anyio itsdangerous python-multipart cloudpickle typing_extensions

wheels: install                        ## wheels/ for the borrowed GPU machine (bench/gpu_check.sh): the course, what it lacks
	rm -rf wheels build && mkdir wheels
	$(BIN)/pip wheel -q --no-deps -w wheels .
	pins=$$($(BIN)/python -c 'import sys, importlib.metadata as m; \
	  print(*(f"{n}=={m.version(n)}" for n in sys.argv[1:]))' $(GPU_WHEELS)) && \
	$(BIN)/pip download -q --no-deps -d wheels --only-binary=:all: --python-version $(GPU_PY) \
	  --implementation cp --platform manylinux2014_x86_64 --platform manylinux_2_17_x86_64 \
	  --platform manylinux_2_28_x86_64 $$pins
	@ls wheels
	@$(BIN)/python bench/tree_size.py --limit $(GPU_LIMIT)
