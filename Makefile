# katapult-wasm — the two front-door commands are `make demo` and `make test`.
# Each sets up what it needs (idempotently) on a fresh machine.

.PHONY: all setup pkg test demo mock clean

all: pkg

## setup: install the wasm target, wasm-bindgen-cli and npm devDependencies
setup:
	@scripts/setup.sh

## pkg: build the npm package into pkg/
pkg: setup
	@scripts/build-pkg.sh

## test: set up, build pkg/ and run every test
test: pkg
	@scripts/test.sh

## demo: build, then serve the demo page and the mock API on one origin
demo: pkg
	@scripts/demo.sh

## mock: run the Katapult mock API alone (port 8080, token demo-token)
mock:
	cargo run --release -p katapult-mock -- --port 8080

clean:
	cargo clean
	rm -rf pkg node_modules
