# Theo dõi NQ57 — the two commands a fresh machine needs: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
ifeq ($(OS),Windows_NT)
PY := $(VENV)/Scripts/python.exe
endif
DEMO_DIR ?= .demo
DEMO_DB ?= $(DEMO_DIR)/demo.sqlite

.PHONY: run run-receiving receiving-demo test lint demo demo-headless clean bench reliability dist frozen-smoke translations screenshots

# Re-install only when the dependency list changes.
$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

demo: $(VENV)/.installed
	$(PY) -m app demo --db $(DEMO_DB)

# Opens the demo data file in the window. With no display (a server, CI), or a Linux
# desktop lacking Qt's X libraries (the app names them), it says so and runs the main
# job headless: the summary, then a signed package of the last report the demo filled
# (else the current period) exported into $(DEMO_DIR)/packages and verified.
DEMO_KEY ?= $(DEMO_DIR)/demo-signing-key.pem
export THEODOI57_DEMO_PASSPHRASE ?= demo-mat-khau
run: demo
	@if [ "$$(uname -s)" = "Linux" ] && [ -z "$$DISPLAY$$WAYLAND_DISPLAY" ]; then \
		echo "Không có màn hình (DISPLAY/WAYLAND_DISPLAY trống): chạy bản không giao diện."; \
		$(MAKE) --no-print-directory demo-headless; \
	else \
		$(PY) -m app gui --db $(DEMO_DB); status=$$?; \
		if [ $$status -eq 4 ]; then $(MAKE) --no-print-directory demo-headless; else exit $$status; fi; \
	fi

demo-headless: demo
	$(PY) -m app status --db $(DEMO_DB)
	@[ -f $(DEMO_KEY) ] || $(PY) -m app key generate --out $(DEMO_KEY) --passphrase-env THEODOI57_DEMO_PASSPHRASE
	@mkdir -p $(DEMO_DIR)/packages
	@period=$$($(PY) -m app status --db $(DEMO_DB) | sed -n 's/^Tiến độ theo kỳ .* (\([0-9A-Z-]*\); .*/\1/p') && \
		period=$${period:-$$($(PY) -m app status --db $(DEMO_DB) | sed -n 's/^Kỳ báo cáo hiện tại: .*(\([0-9A-Z-]*\)).*/\1/p')} && \
		$(PY) -m app report export --db $(DEMO_DB) --period $$period --out $(DEMO_DIR)/packages \
			--key $(DEMO_KEY) --passphrase-env THEODOI57_DEMO_PASSPHRASE && \
		pkg=$$(ls -t $(DEMO_DIR)/packages/*.zip | head -1) && \
		$(PY) -m app package verify "$$pkg" --trust $(DEMO_KEY:.pem=.pub.pem)

# The receiving side: Ngã Năm's culture office (Phòng Văn hóa, Khoa học và Thông tin thị xã)
# with the yearly packages of two communes received (demonstration values, made on demand
# through the real export and ingest: `receive demo`), opened in the window; with no display,
# the submission matrix and the consolidated workbook of the latest year instead.
RECEIVING_DB ?= $(DEMO_DIR)/nga-nam-tiep-nhan.sqlite
receiving-demo: $(VENV)/.installed
	$(PY) -m app receive demo --db $(RECEIVING_DB)

run-receiving: receiving-demo
	@if [ "$$(uname -s)" = "Linux" ] && [ -z "$$DISPLAY$$WAYLAND_DISPLAY" ]; then \
		echo "Không có màn hình (DISPLAY/WAYLAND_DISPLAY trống): chạy bản không giao diện."; \
		$(PY) -m app receive status --db $(RECEIVING_DB) && \
		period=$$($(PY) -m app receive status --db $(RECEIVING_DB) | sed -n 's/^\([0-9A-Z-]*\): .*/\1/p' | tail -1) && \
		$(PY) -m app receive export --db $(RECEIVING_DB) --period $$period \
			--out $(DEMO_DIR)/tong-hop-$$period.xlsx --pdf $(DEMO_DIR)/tong-hop-$$period.pdf; \
	else \
		$(PY) -m app gui --db $(RECEIVING_DB); \
	fi

# A new random test order each run (pytest-randomly), its seed printed first: `make test
# SEED=N` repeats that order. Then the 15 slowest tests and every skip with its reason.
SEED := $(or $(SEED),$(shell $(PYTHON) -c "import random; print(random.randrange(10**9))"))
test: $(VENV)/.installed
	$(PY) -m ruff check app tests
	@echo "Thứ tự kiểm thử ngẫu nhiên: SEED=$(SEED) (make test SEED=$(SEED) lặp lại đúng thứ tự này)"
	$(PY) -m pytest -q -p randomly --randomly-seed=$(SEED) --durations=15 -rs

# Vietnamese for Qt's own strings (context menus, button boxes, file dialogs): Qt ships
# no qtbase_vi, so resources/qtbase_vi.ts is ours; the compiled .qm is committed too.
LRELEASE ?= $(VENV)/bin/pyside6-lrelease
translations: resources/qtbase_vi.qm
resources/qtbase_vi.qm: resources/qtbase_vi.ts
	$(LRELEASE) $< -qm $@

# The real window at 1366×768 under Xvfb (display :97), every page and the main dialogs.
screenshots: $(VENV)/.installed
	PY=$(PY) docs/make_screenshots.sh docs/images

lint: $(VENV)/.installed
	$(PY) -m ruff check app tests
	$(PY) -m ruff format --check app tests
	$(PY) -m mypy

clean:
	rm -rf $(VENV) .demo build dist *.egg-info .pytest_cache .ruff_cache .mypy_cache .hypothesis

# Every benchmark and its peers (LibreOffice, the hashing+signature floor); writes BENCHMARKS.md.
bench: $(VENV)/.installed
	$(PY) bench/run_all.py --out BENCHMARKS.md

# The full crash-consistency, hostile-input and fuzzing run (make test runs a quick subset):
# 200 kills of the editor, 30 of backup/restore/export, 2,000 examples per fuzzed reader.
reliability: $(VENV)/.installed
	THEODOI57_RELIABILITY=1 IMPORT_EXAMPLES=2000 $(PY) -m pytest -q -p no:cacheprovider \
		tests/reliability tests/test_fuzz_inputs.py tests/test_import_properties.py \
		tests/test_receiver_trust.py tests/test_package_crash_adopt.py \
		tests/test_hostile_files.py tests/test_key_at_rest.py tests/test_data_file_faults.py

# The folder commune PCs get: dist/theodoi57/ (theodoi57 window + theodoi57-cli), see
# build.spec and README "Installing at a commune office". THEODOI57_ONEFILE=1 for single files.
$(VENV)/.installed-build: $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[build]'
	touch $@

dist: $(VENV)/.installed-build resources/qtbase_vi.qm
	$(PY) -m PyInstaller --noconfirm --clean --log-level WARN \
		--distpath dist --workpath build/pyinstaller build.spec

# Builds, then runs the frozen programs offscreen with the folder read-only (CI runs it).
frozen-smoke: dist
	$(PY) tests/frozen/smoke.py dist/theodoi57
