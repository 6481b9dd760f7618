# `make demo` and `make test` each set up a fresh machine first (.venv with torch, fastai, nbdev 3).
VENV  ?= .venv
BIN    = $(VENV)/bin
TORCH ?= torch==2.14.1 torchvision==0.29.1
QUICK  = RESNET_COURSE_QUICK=1

.PHONY: install demo test sync nbtest pytest nbs bench docs

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q $(TORCH)
	$(BIN)/pip install -q -e ".[dev]"
	touch $@

install: $(VENV)/.installed

demo: install                          ## the classroom demo (about a minute on a laptop CPU)
	$(BIN)/resnet-course demo --out demo_output

test: install sync nbtest pytest       ## everything CI runs

sync: install                          ## fail if nbdev-export or nbdev-clean would change a tracked file
	@before="$$(git status --porcelain; git diff)"; \
	$(BIN)/nbdev-export && $(BIN)/nbdev-clean; \
	after="$$(git status --porcelain; git diff)"; \
	if [ "$$before" != "$$after" ]; then git status --short; \
	  echo "sync check failed: nbdev-export/nbdev-clean changed files; run them and commit the result"; exit 1; fi
	@echo "sync check: library and notebooks in sync"

nbtest: install                        ## run every notebook in quick mode, two at a time with one torch thread each
	$(QUICK) OMP_NUM_THREADS=1 $(BIN)/nbdev-test --n-workers 2 --timing

pytest: install
	$(QUICK) $(BIN)/python -m pytest -q tests

nbs: install                           ## re-execute notebooks (NB=path for one) in quick mode, save outputs, clean, export
	$(QUICK) $(BIN)/nbdev-test --save --n-workers 1 --timing $(NB)
	$(BIN)/nbdev-clean
	$(BIN)/nbdev-export

bench: install                         ## speed figures (not tests): ours vs torchvision, data vs model, demo time
	$(BIN)/python bench/bench_models.py
	$(BIN)/python bench/bench_data.py
	$(BIN)/python bench/bench_demo.py

docs: install                          ## the course website, offline, into docs/_build/html
	$(BIN)/python docs/build.py
