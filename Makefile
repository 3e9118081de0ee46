# denwa: every target a person or CI runs. `make help` lists them.
SHELL := /bin/bash
STAGE ?= dev
export STAGE

.DEFAULT_GOAL := help
.PHONY: help install build typecheck test synth clean

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

install: node_modules/.package-lock.json ## Install the pinned dependencies from package-lock.json

build: install ## Bundle every webhook in functions/ into dist/functions/*.zip
	@npx tsx scripts/build.ts

typecheck: install ## Type-check everything with tsc --noEmit
	@npx tsc --noEmit -p .

test: build ## Run the test suite (uvu)
	@npx uvu -r tsx/cjs tests '\.test\.ts$$'

clean: ## Remove dist/ and cdktf.out/
	rm -rf dist cdktf.out
