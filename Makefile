# joinedup - top-level build. CMake does the work underneath.
#
#   make          build build/joinedup (release, with debug info)
#   make test     build with ASan+UBSan and run every test (unit, end-to-end, fuzz replay)
#   make demo     build, then synthesise and load the demo city
#   make bench    benchmarks (results: docs/BENCHMARKS.md)
#   make fuzz     fuzz every parser for FUZZ_SECONDS each (default 60)

JOBS ?= $(shell nproc)
FUZZ_SECONDS ?= 60

.PHONY: all build test demo bench fuzz format clean bootstrap

all: build

bootstrap:
	@scripts/bootstrap

build: bootstrap
	@cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DJUP_TESTS=OFF >/dev/null
	@cmake --build build -j $(JOBS)

test: bootstrap
	@cmake -S . -B build-sanitize -DCMAKE_BUILD_TYPE=Debug -DJUP_SANITIZE=ON >/dev/null
	@cmake --build build-sanitize -j $(JOBS)
	@cd build-sanitize && ctest --output-on-failure -j $(JOBS)
	@fuzz/replay.sh

demo: build
	@build/joinedup demo

bench: build
	@scripts/bootstrap --bench
	@bench/run.sh

fuzz: bootstrap
	@fuzz/replay.sh --time $(FUZZ_SECONDS)

format:
	@clang-format -i src/*/*.[ch] tests/unit/*.[ch] fuzz/*.c

clean:
	rm -rf build build-sanitize build-fuzz
