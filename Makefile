# katapult-wasm — the two front-door commands are `make demo` and `make test`.
# Each sets up what it needs (idempotently) on a fresh machine.

.PHONY: all setup generate pkg test consumers demo mock bench fuzz clean

all: pkg

## setup: install the wasm target, wasm-bindgen-cli and npm devDependencies
setup:
	@scripts/setup.sh

## generate: write src/generated/ from the project's copy of the OpenAPI
##           document (spec/katapult-core-openapi.json); the output is committed
generate:
	@node codegen/generate.mjs

## pkg: build the npm package into pkg/
pkg: setup
	@scripts/build-pkg.sh

## test: set up, build pkg/ and run every test
test: pkg
	@scripts/test.sh

## consumers: pack pkg/ and build, run and lint it in a fresh project per
##            setup (Node, esbuild, Vite, workers, webpack, Next.js, Vitest,
##            TypeScript) with the tool versions of consumers/package-lock.json
consumers: pkg
	@cargo build --quiet -p katapult-mock
	@node consumers/run.mjs

## demo: build, then serve the demo page and the mock API on one origin
demo: pkg
	@scripts/demo.sh

## bench: size and speed figures of pkg/ against the release mock; prints a
##        table and writes target/bench.json (not part of `make test`)
bench: pkg
	@cargo build --quiet --release -p katapult-mock
	@node bench/run.mjs

## mock: run the Katapult mock API alone (port 8080, token demo-token)
mock:
	cargo run --release -p katapult-mock -- --port 8080

## fuzz: fuzz every answer's check, every operation's argument checks,
##       then the spec XML reader, for
##       FUZZ_SECONDS each (default 60) with cargo-fuzz on stable Rust; not
##       part of `make test`. New inputs go to fuzz/target/corpus, crashes
##       to fuzz/artifacts.
FUZZ_SECONDS ?= 60
FUZZ_SANITIZER ?= address
fuzz:
	@command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked --version 0.13.2
	@mkdir -p fuzz/target/corpus/decoders
	RUSTC_BOOTSTRAP=1 cargo fuzz run --sanitizer $(FUZZ_SANITIZER) decoders \
		fuzz/target/corpus/decoders fuzz/corpus/decoders -- \
		-max_total_time=$(FUZZ_SECONDS) -max_len=8192 -dict=fuzz/decoders.dict -print_final_stats=1
	@mkdir -p fuzz/target/corpus/arguments
	RUSTC_BOOTSTRAP=1 cargo fuzz run --sanitizer $(FUZZ_SANITIZER) arguments \
		fuzz/target/corpus/arguments fuzz/corpus/arguments -- \
		-max_total_time=$(FUZZ_SECONDS) -max_len=4096 -print_final_stats=1
	@mkdir -p fuzz/target/corpus/spec
	RUSTC_BOOTSTRAP=1 cargo fuzz run --sanitizer $(FUZZ_SANITIZER) spec \
		fuzz/target/corpus/spec tests/data/spec -- \
		-max_total_time=$(FUZZ_SECONDS) -max_len=16384 -dict=fuzz/spec.dict -print_final_stats=1

clean:
	cargo clean
	rm -rf pkg node_modules
