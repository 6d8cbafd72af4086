# The two commands of the README. CMake and ctest do the work underneath.
.PHONY: all build run test bench clean pot

all: build

build:
	@scripts/deps.sh build
	@cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build build -j$$(nproc)

run: build
	@test -f tdkt.db || ./build/tdkt init --demo --demo-year --db tdkt.db
	./build/tdkt serve --listen 127.0.0.1:8080 --db tdkt.db

test:
	@scripts/deps.sh test
	@scripts/test.sh

bench: build
	@scripts/deps.sh bench
	@bench/run.sh

pot:
	@scripts/update-pot.sh

clean:
	rm -rf build build-asan build-fuzz
