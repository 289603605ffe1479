# Two commands do all set-up on a fresh machine with python3 and make:
#   make run    create the environment, index corpus/ (incrementally), serve on 127.0.0.1:8000
#               (make run PORT=8001 HOST=0.0.0.0 to serve elsewhere)
#   make test   create the environment with the test packages, run every test
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
CORPUS ?= corpus
INDEX  ?= index
HOST   ?= $(or $(STATEMENTS_HOST),127.0.0.1)
PORT   ?= $(or $(STATEMENTS_PORT),8000)

.PHONY: run test index serve bench bench-documents install clean

# What serving needs; the test packages (a browser driver among them) only for make test.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.test-installed: $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

# Exit status 1 means some files could not be indexed (they are listed);
# the rest are, so the server still starts.
index: install
	$(PY) -m indexer --corpus $(CORPUS) --index $(INDEX) || [ $$? -eq 1 ]

serve: install
	$(PY) -m webui --index $(INDEX) --host $(HOST) --port $(PORT)

run: index serve

# One worker process per core (pytest-xdist); each test module runs whole in one
# worker, so the indexes and servers its module-scoped fixtures make are made once;
# the modules start in the order tests/conftest.py gives (FIRST_UNDER_XDIST).
test: $(VENV)/.test-installed
	$(PY) -m pytest -n auto --dist loadscope --no-loadscope-reorder

$(VENV)/.bench-installed: $(VENV)/.test-installed
	$(PY) -m pip install --quiet -e '.[test,bench]'
	touch $@

bench: $(VENV)/.bench-installed
	$(PY) -m bench

# Real files read by our indexer beside independent readers; its PDF reference
# is pdftotext, from Debian's poppler-utils.
bench-documents: $(VENV)/.bench-installed
	@command -v pdftotext >/dev/null || { echo "pdftotext is missing: apt-get install -y poppler-utils"; exit 1; }
	$(PY) -m bench.documents

clean:
	rm -rf $(VENV) $(INDEX) .pytest_cache tests/artifacts bench/work
