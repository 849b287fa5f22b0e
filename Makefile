# Quiver's entry points. `make run` and `make test` do all the set-up on a fresh Debian machine (as root).
SHELL := /bin/bash
export PATH := /opt/swift/usr/bin:$(PATH)
QUIVER := .build/release/quiver
SF ?= 1

.PHONY: run test setup build-release unit-tests slt tpch-test cli-test arrow-test tpch clean

## Open the quiver prompt on TPC-H SF 0.01 demo data in the embedded catalog ./quiver-data.
run: setup build-release
	@scripts/demo-data.sh
	@$(QUIVER) --data quiver-data

## Every test: Swift Testing suites, the .slt files, TPC-H at SF 0.01, the CLI checks and the Arrow/persistence checks.
test: setup build-release unit-tests slt tpch-test cli-test arrow-test

setup:
	@scripts/setup.sh

build-release:
	swift build -c release --product quiver

unit-tests:
	swift test

slt: build-release
	$(QUIVER) slt Tests/SQLLogicTests

tpch-test: build-release
	scripts/tpch-check.sh 0.01

cli-test: build-release
	Tests/CLI/run.sh

## pyarrow as the oracle for Arrow IPC files, restart and kill -9 crash checks of the directory catalog.
arrow-test: setup build-release
	Tests/Arrow/run.sh

## TPC-H at scale factor SF (default 1): all 22 queries against the expected answers.
tpch: setup build-release
	scripts/tpch-check.sh $(SF) $$(ls benchmarks/tpch/queries | sed 's/\.sql$$//')

clean:
	rm -rf .build quiver-data data
