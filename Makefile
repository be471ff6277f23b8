# stmc - the user's entry point.  Two commands do everything on a fresh Debian 12 machine (as root):
#   make demo    install what is missing, build, run the headline demo
#   make check   install what is missing, build, run the whole lit suite
# LLVM_VERSION=22 make check   builds and tests against LLVM/Clang 22 in build-22/.
LLVM_VERSION ?= 19
ifeq ($(LLVM_VERSION),19)
BUILD ?= build
else
BUILD ?= build-$(LLVM_VERSION)
endif
CMAKE_FLAGS ?=
JOBS ?= 2

.PHONY: all deps configure build check demo bench install clean
all: build

deps:
	@sh tools/setup-deps.sh $(LLVM_VERSION)

$(BUILD)/build.ninja: | deps
	@cmake -G Ninja -S . -B $(BUILD) -DSTMC_LLVM_VERSION=$(LLVM_VERSION) \
	    -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS) >$(BUILD).cmake.log 2>&1 \
	  || { grep -h '^stmc:' $(BUILD).cmake.log || tail -n 20 $(BUILD).cmake.log; exit 1; }

configure: deps $(BUILD)/build.ninja

build: configure
	@ninja -C $(BUILD) -j $(JOBS)

check: build
	@ninja -C $(BUILD) -j $(JOBS) check-stmc

demo: build
	@ninja -C $(BUILD) -j $(JOBS) demo

bench: build
	@python3 examples/bench/run.py --build $(BUILD) $(if $(QUICK),--quick,) $(if $(THREADS),--threads $(THREADS),) \
	    $(if $(REPS),--reps $(REPS),) $(if $(REPS_MULTI),--reps-multi $(REPS_MULTI),) $(if $(LAYOUTS),--layouts $(LAYOUTS),)

install: build
	@cmake --install $(BUILD) --prefix $(or $(PREFIX),/usr/local)

clean:
	rm -rf $(BUILD)
