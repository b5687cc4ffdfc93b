# Common paths. Every target sets up what is missing first (scripts/bootstrap.sh).
VENV := .venv/bin

.PHONY: setup demo test lint format bench

setup:
	@bash scripts/bootstrap.sh

demo: setup
	$(VENV)/creative-flow demo

test: setup
	$(VENV)/pytest

lint: setup
	$(VENV)/ruff check .
	$(VENV)/ruff format --check .
	$(VENV)/mypy

format: setup
	$(VENV)/ruff format .
	$(VENV)/ruff check --fix .

bench: setup
	$(VENV)/python scripts/bench/run_all.py
