# The commands a person types. `make up` runs the platform; `make test` runs every test.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TAG ?= dev
SERVICES := partners cases meetings reporting
COMPOSE := $(shell docker compose version >/dev/null 2>&1 && echo "docker compose" || echo "docker-compose")
GATEWAY_PORT ?= 8080
PYTEST := $(BIN)/pytest

# Which third-party images this machine uses (official ones, or built from Debian). The image
# step writes this file, so targets that need it run in a make started after that step.
-include .images.env
export POSTGRES_IMAGE RABBITMQ_IMAGE PYTHON_IMAGE PGBOUNCER_IMAGE HAPROXY_IMAGE GATEWAY_PORT
export VERBAND_TAG := $(TAG)
export COMPOSE_PROJECT_NAME ?= verband
export TESTCONTAINERS_RYUK_DISABLED := true
export TESTCONTAINERS_CONNECTION_MODE := docker_host

.PHONY: help venv wheels base-images images up down logs test test-domain test-service \
        test-gateway test-e2e test-browser prerequisites start test-faults test-fuzz k8s-validate backup restore lint format bench dead-letters replay-dead-letters lock demo-data \
        cell cell-check cell-down cell-ps cell-logs cell-secrets

help:
	@echo "make up          build images, start the stack with demo data, print where to open it"
	@echo "make down        stop the stack (volumes kept; make down VOLUMES=1 removes them)"
	@echo "make test        every test tier: domain, service, gateway, end to end, browser, faults, fuzz"
	@echo "make lint        ruff"
	@echo "make bench       benchmarks, each beside its baseline"
	@echo "make images      build every image from a Debian mirror and a Python index alone"
	@echo "make dead-letters / make replay-dead-letters   inspect or replay parked events"
	@echo "make cell REGION=limburg   start a region's cell (deploy/regions/limburg.env; also"
	@echo "                 cell-down, cell-ps, cell-logs, cell-secrets)"
	@echo "make backup [TO=DIR] / make restore FROM=DIR   every service database, with checksums"
	@echo "make k8s-validate  render and check the Kubernetes overlays (deploy/k8s)"

venv: $(VENV)/.installed
$(VENV)/.installed: requirements/dev.in requirements/gateway.in requirements/service.in requirements/constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -r requirements/dev.in -c requirements/constraints.txt
	touch $@

wheels: build/wheelhouse/.built
build/wheelhouse/.built: requirements/gateway.in requirements/service.in requirements/constraints.txt | venv
	$(BIN)/pip wheel -q --wheel-dir build/wheelhouse -r requirements/gateway.in -c requirements/constraints.txt
	touch $@

base-images:
	deploy/images/build-base.sh

images: base-images wheels
	deploy/images/build-app.sh

# `up` checks the machine first (deploy/prerequisites.sh: seconds, installs what it can as root),
# then builds the images, then starts the stack in a new make that reads the .images.env the
# image step has just written and finds the compose the check may have installed.
up: prerequisites
	@$(MAKE) --no-print-directory images
	@$(MAKE) --no-print-directory start

prerequisites:
	@PYTHON=$(PYTHON) deploy/prerequisites.sh

start:
	$(COMPOSE) up -d
	deploy/wait-healthy.sh "$(COMPOSE)" gateway $(SERVICES)
	$(MAKE) --no-print-directory demo-data
	@echo
	@echo "Verband runs at http://localhost:$(GATEWAY_PORT)/"
	@echo "  JSON API:      http://localhost:$(GATEWAY_PORT)/api/openapi.json"
	@echo "  health:        http://localhost:$(GATEWAY_PORT)/health"
	@echo "  RabbitMQ UI:   http://localhost:$${RABBITMQ_MANAGEMENT_PORT:-15672}/"

# A region's cell (deploy/cells/README.md): settings from deploy/regions/$(REGION).env,
# secrets from the files in its SECRETS_DIR.
REGION ?=
cell-check:
	@test -n "$(REGION)" || { echo "name the region: make cell REGION=<$$(ls deploy/regions | sed -n 's/\.env$$//p' | paste -sd'|')>"; exit 2; }

cell: cell-check prerequisites images
	deploy/cells/cell.sh $(REGION) up

cell-down: cell-check
	deploy/cells/cell.sh $(REGION) down

cell-ps: cell-check
	deploy/cells/cell.sh $(REGION) ps

cell-logs: cell-check
	deploy/cells/cell.sh $(REGION) logs -f --tail=100

cell-secrets: cell-check
	deploy/cells/cell.sh $(REGION) secrets

# The demo's platform admin comes from the one-time bootstrap command (its password on stdin),
# as in a real deployment; running it again changes nothing.
demo-data: venv
	@printf '%s' "$${VERBAND_ADMIN_PASSWORD:-demo-only-verband-beheer-2026}" | $(COMPOSE) exec -T \
	  partners python -m partners.bootstrap --email "$${VERBAND_ADMIN_EMAIL:-admin@verband.demo}"
	$(BIN)/python deploy/demo/load.py --gateway http://localhost:$(GATEWAY_PORT) \
	  --cases-psql "$(COMPOSE) exec -T postgres psql -q -v ON_ERROR_STOP=1 -U postgres -d cases"

down:
	$(COMPOSE) down $(if $(VOLUMES),--volumes,)

# Backups of every service's database (deploy/backup.sh): one pg_dump file each, a manifest and
# checksums, under backups/<UTC time> or TO=DIR. make restore FROM=DIR checks the checksums,
# stops the services and the gateway, replaces each database whole, and starts them again.
PG_EXEC = $(COMPOSE) exec -T postgres
backup:
	PG_EXEC="$(PG_EXEC)" deploy/backup.sh $(TO)

restore:
	@test -n "$(FROM)" || { echo "usage: make restore FROM=backups/<time>" >&2; exit 1; }
	deploy/restore.sh --verify-only "$(FROM)"
	$(COMPOSE) stop gateway $(SERVICES)
	PG_EXEC="$(PG_EXEC)" deploy/restore.sh "$(FROM)"
	$(COMPOSE) start $(SERVICES) gateway
	deploy/wait-healthy.sh "$(COMPOSE)" gateway $(SERVICES)

logs:
	$(COMPOSE) logs -f --tail=100

# The dead letters are the operator's: no service's broker user may read them.
OPERATOR_AMQP = amqp://$${RABBITMQ_USER:-verband}:$${RABBITMQ_PASSWORD:-verband}@rabbitmq:5672/

dead-letters:
	$(COMPOSE) exec -T -e AMQP_URI="$(OPERATOR_AMQP)" cases python -m verband_common.deadletters list --body

replay-dead-letters:
	$(COMPOSE) exec -T -e AMQP_URI="$(OPERATOR_AMQP)" cases python -m verband_common.deadletters replay --all

# Tiers, each in its own pytest run: the service tier runs under eventlet (nameko test),
# the others in plain threads.
test: venv images k8s-validate test-domain test-gateway test-service test-e2e test-browser test-faults test-fuzz
	@echo "make test: every tier passed"

# Domain: pure rules, no broker or database. Service: each service in a nameko container
# against one RabbitMQ and one PostgreSQL container per run (a fresh vhost and database per
# test); the fixtures are in libs/verband_common/tests/kit.
DOMAIN_TESTS := libs/verband_common/tests/domain $(wildcard services/*/tests/domain)
SERVICE_TESTS := libs/verband_common/tests/service $(wildcard services/*/tests/service)

test-domain: venv
	$(PYTEST) -m "not service" $(DOMAIN_TESTS)

test-service: venv base-images
	$(BIN)/nameko test -- -m service $(SERVICE_TESTS)

test-gateway: venv
	$(PYTEST) gateway/tests

test-e2e: venv images
	$(PYTEST) tests/e2e

# Browser: people use the portals in Debian's chromium (Playwright), axe-core checks each
# portal's main page; screenshots land in build/artefacts/screenshots/.
test-browser: venv images
	$(PYTEST) tests/browser

test-faults: venv images
	$(PYTEST) tests/faults

# Fuzzing: requests generated from the gateway's OpenAPI document (schemathesis), sent as four
# kinds of user to the real stack; FUZZ_EXAMPLES per operation and kind of input (default 3).
test-fuzz: venv images
	$(PYTEST) tests/fuzz

# Kubernetes overlays (deploy/k8s): every region's overlay renders and keeps the cell's promises
# (tests/deploy, with the schemas of kubernetes-validate), then the rendered output passes the
# schemas and the policy scanner checkov (skips, each with its reason: deploy/k8s/checkov.yaml).
# checkov has a virtualenv of its own: it pins packaging<24, which pytest cannot use.
CHECKOV := build/checkov/bin/checkov
k8s-validate: venv $(CHECKOV)
	$(PYTEST) -q tests/deploy
	mkdir -p build/k8s
	for overlay in deploy/k8s/overlays/*/; do \
	  kubectl kustomize "$$overlay" > "build/k8s/$$(basename "$$overlay").yaml"; done
	$(BIN)/kubernetes-validate --strict --quiet -k 1.30.0 build/k8s/*.yaml
	$(CHECKOV) --config-file deploy/k8s/checkov.yaml -d build/k8s

$(CHECKOV): requirements/checkov.in requirements/checkov-constraints.txt
	test -x build/checkov/bin/python || $(PYTHON) -m venv build/checkov
	build/checkov/bin/pip install -q -r requirements/checkov.in -c requirements/checkov-constraints.txt
	touch $@

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: venv images
	$(BIN)/python bench/run.py

lock: venv
	$(BIN)/pip install -q -r requirements/dev.in
	{ echo "# Every dependency pinned: pip install -r requirements/dev.in -c requirements/constraints.txt"; \
	  echo "# Regenerate after changing an .in file: make lock"; $(BIN)/pip freeze; } > requirements/constraints.txt
