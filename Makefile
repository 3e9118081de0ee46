# denwa: every target a person or CI runs. `make help` lists them.
SHELL := /bin/bash
STAGE ?= dev
STACK := denwa-$(STAGE)
CDKTF := npx cdktf
export STAGE

.DEFAULT_GOAL := dev
.PHONY: help dev local install build typecheck test synth ci ci-role plan deploy destroy outputs secret wire call sms reliability bench clean

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

# One install at a time: two make targets started together must not both run npm ci.
node_modules/.package-lock.json: package.json package-lock.json
	@flock .install.lock sh -c '[ -f $@ ] && [ $@ -nt package.json ] && [ $@ -nt package-lock.json ] || npm ci --no-audit --no-fund'
	@touch $@

# node --require tsx/cjs rather than npx tsx: two node processes and the ESM loader thread fewer before the first request.
dev: install ## Build, synthesize and serve the dev stage on 127.0.0.1:PORT (3000), rebuilding on change
	@node --require tsx/cjs local/dev.ts

install: node_modules/.package-lock.json ## Install the pinned dependencies from package-lock.json

build: install ## Bundle every webhook in functions/ into dist/functions/*.zip
	@npx tsx scripts/build.ts

typecheck: install ## Type-check everything with tsc --noEmit
	@npx tsc --noEmit -p .

test: typecheck synth ## Type-check, build, synthesize, then run every tests/**/*.test.ts in two processes (TESTS=regex picks files)
	@npx tsx tests/run.ts $(if $(TESTS),"$$TESTS")

synth: build ## Write cdktf.out/stacks/denwa-dev and denwa-prod (plain Terraform JSON)
	@npx tsx main.ts

validate: synth ## Terraform's own check of every stack: init, validate, and terraform test (mock AWS: apply, then a changed template)
	@npx tsx scripts/validate.ts

ci: install typecheck test synth ## What CI runs: install from the lock file, typecheck, test, synth

ci-role: build ## Create, once, the role the CI workflow assumes: the denwa-ci stack (set CI.repository in infra/stages.ts)
	@npx tsx scripts/preflight.ts
	DENWA_CI_STACK=required $(CDKTF) deploy denwa-ci

plan: build ## Show what deploy would change in STAGE (cdktf diff)
	@npx tsx scripts/preflight.ts
	$(CDKTF) diff $(STACK)

deploy: build ## Deploy STAGE (cdktf apply; AUTO_APPROVE=1 skips the question)
	@npx tsx scripts/preflight.ts
	$(CDKTF) deploy $(STACK) $(if $(filter 1,$(AUTO_APPROVE)),--auto-approve)

destroy: build ## Destroy STAGE and everything in it, log groups included
	@npx tsx scripts/preflight.ts
	$(CDKTF) destroy $(STACK)

outputs: build ## Save STAGE's outputs (webhook URLs) to outputs/STAGE.json
	@npx tsx scripts/preflight.ts
	@mkdir -p outputs
	$(CDKTF) output $(STACK) --outputs-file outputs/$(STAGE).json
	@echo "Saved outputs/$(STAGE).json"

secret: install ## Store TWILIO_AUTH_TOKEN in SSM for STAGE (ROTATE=1 keeps the previous one; SHARED_KEY=1 stores TWILIO_SHARED_KEY; NAME=X a declared secret)
	@npx tsx scripts/secret.ts

wire: install ## Point Twilio number NUMBER at STAGE (FN=voice/menu, DRY_RUN=1)
	@npx tsx scripts/wire.ts

local: install ## Serve any synthesized stack: STACK_DIR=cdktf.out/stacks/denwa-prod PORT=3000
	@npx tsx local/serve.ts --stack "$${STACK_DIR:-cdktf.out/stacks/$(STACK)}"

call: install ## Walk a call as Twilio would: URL=… DIGITS=1,,2 SPEECH=… RECORD=5 DIAL=busy PARAMS="K=V …" STATUS_URL=… FALLBACK=… JSON=1 (default: dev voice/hello on make dev)
	@npx tsx local/call.ts $(if $(URL),"$$URL") $(if $(DIGITS),--digits "$$DIGITS") $(if $(SPEECH),--speech "$$SPEECH") $(if $(RECORD),--record "$$RECORD") $(if $(DIAL),--dial "$$DIAL") $(foreach p,$(PARAMS),--param "$(p)") $(if $(STATUS_URL),--status-url "$$STATUS_URL") $(if $(FALLBACK),--fallback "$$FALLBACK") $(if $(JSON),--json)

sms: install ## Send an incoming SMS as Twilio would: TEXT="…" URL=… MEDIA="url1 url2" JSON=1
	@npx tsx local/call.ts sms "$$TEXT" $(if $(URL),"$$URL") $(foreach m,$(MEDIA),--media "$(m)") $(if $(JSON),--json)

reliability: synth ## Reliability and security suites: fuzzing, faults, 10,000-request load, leaks, policy lint; one table (DENWA_SEED=… replays)
	@npx tsx scripts/reliability.ts

bench: build ## Measure the starters (and FN=route…): zips, cold start, warm latency, the make dev loop, emulator and peer load, synth; SAVE=1 writes bench/results.json
	@npx tsx scripts/bench.ts $(if $(SAVE),--save) $(foreach f,$(FN),--function $(f))

clean: ## Remove dist/, cdktf.out/ and outputs/
	rm -rf dist cdktf.out outputs
