# CEG — the one build entry point. `make demo` and `make test` set up
# everything they need on a fresh machine (Go modules, npm packages,
# Debian's chromium).
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
GO ?= go
NPM ?= npm
WASM := bindings/js/ceg.wasm
GO_SOURCES := $(shell find core wasm -name '*.go' -not -name '*_test.go') go.mod go.sum
export CEG_WAZERO_CACHE ?= $(CURDIR)/.cache/wazero

.PHONY: all build generate check-generated check test test-go test-fuzz test-wasm test-node test-browser \
        bench bench-update demo dashboard chat clean node-deps chromium

all: build

## build: the wasm module (one build: the tested artifact is the shipped one)
build: $(WASM)

$(WASM): $(GO_SOURCES)
	@echo "build: GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared ./wasm"
	GOOS=wasip1 GOARCH=wasm $(GO) build -buildmode=c-shared -trimpath -ldflags='-s -w -buildid=' -o $@ ./wasm
	@scripts/size.sh $@

## generate: regenerate the easyjson wire code
generate:
	scripts/generate.sh

## check-generated: fail when the committed generated code is stale. It
## generates into a scratch copy and diffs, never touching tracked files, so
## a check does not make the module look out of date.
check-generated:
	scripts/check-generated.sh

## check: gofmt, go vet, generated code
check: check-generated
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt wants to change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	GOOS=wasip1 GOARCH=wasm $(GO) vet ./wasm

## test: every test — Go (with a short run of every fuzz target), wazero against the built module, Node, headless Chromium
test: check test-go test-fuzz test-wasm test-node test-browser
	@echo "make test: all suites passed"

test-go:
	$(GO) test ./core/... ./internal/...

## test-fuzz: every Go fuzz target for FUZZTIME (default 3s) each
test-fuzz:
	scripts/fuzz.sh

test-wasm: build
	$(GO) test . ./testrunner/...

test-node: build node-deps
	$(NPM) run --silent typecheck
	$(NPM) run --silent test:node

test-browser: build node-deps chromium
	$(NPM) run --silent test:browser

node-deps: node_modules/.ceg-installed

node_modules/.ceg-installed: package.json package-lock.json
	$(NPM) ci --no-audit --no-fund
	@touch $@

## chromium: install Debian's chromium when it is missing
chromium:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  echo "chromium: not found; installing Debian's chromium"; \
	  SUDO=; if [ "$$(id -u)" != 0 ]; then SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; \
	fi
	@chromium --version

## bench: native, wazero and Node benchmarks; writes the tables to
## build/bench/tables.md (untracked): a bench run leaves the tree clean
bench: build node-deps chromium
	scripts/bench.sh

## bench-update: puts the tables of the last `make bench` (running it when
## there is none) into docs/BENCHMARKS.md, deliberately
bench-update:
	@if [ ! -f build/bench/tables.md ]; then $(MAKE) bench; fi
	node scripts/bench-report.mjs --splice build/bench/tables.md docs/BENCHMARKS.md
	node scripts/bench-browser.mjs --splice build/bench/browser.md docs/BENCHMARKS.md

## dashboard: serve the browser dashboard (examples/browser) and print its URL; PORT=8080 by default
dashboard: build node-deps
	node examples/browser/server.mjs $${PORT:-8080}

## demo: the main job through the Node binding
demo: build node-deps
	node examples/node/demo-chat.js

clean:
	rm -f $(WASM)
	rm -rf .cache node_modules
