# Theo dõi NQ57 — the two commands a fresh machine needs: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
DEMO_DB ?= .demo/demo.sqlite

.PHONY: run test lint demo clean bench

# Re-install only when the dependency list changes.
$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

demo: $(VENV)/.installed
	$(PY) -m app demo --db $(DEMO_DB)

# Opens the demo data file. The desktop window arrives with the GUI issue;
# until then (and on any machine with no display) it prints the headless summary.
run: demo
	@if [ -z "$$DISPLAY$$WAYLAND_DISPLAY" ] && [ "$$(uname -s)" = "Linux" ]; then \
		echo "Không có màn hình (DISPLAY/WAYLAND_DISPLAY trống): chạy bản tóm tắt không giao diện."; \
	fi
	$(PY) -m app status --db $(DEMO_DB)

test: $(VENV)/.installed
	$(PY) -m ruff check app tests
	$(PY) -m pytest -q

lint: $(VENV)/.installed
	$(PY) -m ruff check app tests
	$(PY) -m ruff format --check app tests

clean:
	rm -rf $(VENV) .demo build dist *.egg-info .pytest_cache .ruff_cache .hypothesis

bench: $(VENV)/.installed
	$(PY) bench/bench_import.py
	$(PY) bench/bench_reports.py
	$(PY) bench/bench_package.py
