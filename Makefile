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

# Opens the demo data file in the window. With no display (a server, CI) it says so
# and runs the main job headless: the summary, then a signed package of the
# current period exported into .demo/packages and verified.
DEMO_KEY ?= .demo/demo-signing-key.pem
export THEODOI57_DEMO_PASSPHRASE ?= demo-mat-khau
run: demo
	@if [ "$$(uname -s)" = "Linux" ] && [ -z "$$DISPLAY$$WAYLAND_DISPLAY" ]; then \
		echo "Không có màn hình (DISPLAY/WAYLAND_DISPLAY trống): chạy bản không giao diện."; \
		$(PY) -m app status --db $(DEMO_DB) && \
		{ [ -f $(DEMO_KEY) ] || $(PY) -m app key generate --out $(DEMO_KEY) --passphrase-env THEODOI57_DEMO_PASSPHRASE; } && \
		period=$$($(PY) -m app status --db $(DEMO_DB) | sed -n 's/^Kỳ báo cáo hiện tại: .*(\([0-9A-Z-]*\)).*/\1/p') && \
		mkdir -p .demo/packages && out=$$($(PY) -m app report export --db $(DEMO_DB) --period $$period --out .demo/packages \
			--key $(DEMO_KEY) --passphrase-env THEODOI57_DEMO_PASSPHRASE) && echo "$$out" && \
		pkg=$$(ls -t .demo/packages/*.zip | head -1) && \
		$(PY) -m app package verify "$$pkg" --trust $(DEMO_KEY:.pem=.pub.pem); \
	else \
		$(PY) -m app gui --db $(DEMO_DB); \
	fi

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
	$(PY) bench/bench_gui.py
	$(PY) bench/bench_receive.py
