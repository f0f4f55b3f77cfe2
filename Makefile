# Two commands for a fresh machine:
#   make report   build .venv/ and produce the sample weekly report
#   make test     build .venv/ and run the tests
# Both build the environment from environment.yml, the one dependency list.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: report test lint lab lab-env clean-venv

$(STAMP): environment.yml pyproject.toml tools/requirements.py
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PYTHON) tools/requirements.py > $(VENV)/requirements.txt
	@echo "installing the dependencies of environment.yml into $(VENV)/ (log: $(VENV)/pip.log)"
	@$(BIN)/python -m pip install --upgrade pip -r $(VENV)/requirements.txt \
		> $(VENV)/pip.log 2>&1 || { tail -n 30 $(VENV)/pip.log; exit 1; }
	$(BIN)/python -c "import qlue_helpers, papermill, seaborn"
	touch $(STAMP)

report: $(STAMP)
	$(BIN)/qlue report params/weekly.yaml

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The analyst's JupyterLab lives in its own environment (see environment.yml)
# and runs notebooks in the project's kernel from .venv/.
lab: lab-env
	.venv-lab/bin/jupyter lab notebooks/

lab-env: $(STAMP)
	test -x .venv-lab/bin/python || $(PYTHON) -m venv .venv-lab
	$(PYTHON) tools/requirements.py --lab > .venv-lab/requirements.txt
	.venv-lab/bin/python -m pip install -r .venv-lab/requirements.txt \
		> .venv-lab/pip.log 2>&1 || { tail -n 30 .venv-lab/pip.log; exit 1; }
	$(BIN)/python -m ipykernel install --prefix .venv-lab --name qlue \
		--display-name "Qlue (.venv)" > /dev/null 2>&1

clean-venv:
	rm -rf $(VENV) .venv-lab
