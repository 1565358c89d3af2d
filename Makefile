# iam-audit — build, run, test, document, benchmark, package, install.
# `make run` audits policies/; `make test` runs the whole test suite; `make dist` writes the release archive.

SWIFT     ?= swift
PREFIX    ?= /usr/local
BINDIR     = $(PREFIX)/bin
CONFIG    ?= debug
SHARED    ?= ../shared

# On Linux every release build links the Swift runtime and Foundation statically, as the release archive does
# (scripts/dist.sh): the binary runs without a toolchain, and release, install, bench and dist share one build
# instead of recompiling everything whenever the flag changes.
ifeq ($(shell uname -s),Linux)
STATIC_STDLIB = --static-swift-stdlib
endif

# zizmor, the GitHub Actions linter the workflow test runs, installed by `make tools` into a virtualenv.
ZIZMOR_VERSION ?= 1.33.1
# parliament, the IAM linter `make bench` measures iam-audit beside, installed into a virtualenv of its own.
PARLIAMENT_VERSION ?= 1.6.4
TOOLS          ?= .build/tools

.PHONY: all build release dist run test test-swift test-scripts tools docs bench fuzz install uninstall clean

all: build

build:
	$(SWIFT) build -c $(CONFIG)

release:
	$(SWIFT) build -c release --product iam-audit $(STATIC_STDLIB)

# dist/iam-audit-VERSION-OS-ARCH.tar.gz and its .sha256: a stripped release build, the Swift runtime and
# Foundation linked statically on Linux.
dist:
	SWIFT="$(SWIFT)" scripts/dist.sh

run: build
	"$$($(SWIFT) build -c $(CONFIG) --show-bin-path)/iam-audit" policies/

# The Swift suite first, then the script tests, one after the other: a release build cannot start while
# `swift test` holds the build folder's lock.
test:
	$(MAKE) test-swift
	$(MAKE) test-scripts

test-swift:
	$(SWIFT) test

# The release binary without a toolchain, the action's download path, the workflows under zizmor.
test-scripts: dist tools
	SWIFT="$(SWIFT)" scripts/tests/dist-binary.sh
	scripts/tests/install-release.sh
	ZIZMOR="$(TOOLS)/venv/bin/zizmor" scripts/tests/workflows-zizmor.sh

# Best effort: without python3's venv or PyPI, the zizmor test says why and skips.
tools:
	scripts/install-tools.sh zizmor "$(ZIZMOR_VERSION)" "$(TOOLS)/venv" "its test will skip"

docs: build
	"$$($(SWIFT) build -c $(CONFIG) --show-bin-path)/iam-audit" rules --format markdown > docs/RULES.md.tmp && mv docs/RULES.md.tmp docs/RULES.md

bench:
	scripts/install-tools.sh parliament "$(PARLIAMENT_VERSION)" "$(TOOLS)/parliament" "the bench leaves it out"
	$(SWIFT) build -c release --product iam-audit $(STATIC_STDLIB)
	$(SWIFT) build -c release --product iam-audit-bench $(STATIC_STDLIB)
	.build/release/iam-audit-bench --tool .build/release/iam-audit --shared $(SHARED) --parliament $(TOOLS)/parliament/bin/parliament

# libFuzzer targets (Fuzz/): FUZZ_TIME seconds each, default 60.
fuzz:
	FUZZ_TIME=$${FUZZ_TIME:-60} scripts/fuzz.sh

install: release
	install -d "$(DESTDIR)$(BINDIR)"
	install -m 0755 .build/release/iam-audit "$(DESTDIR)$(BINDIR)/iam-audit"

uninstall:
	rm -f "$(DESTDIR)$(BINDIR)/iam-audit"

clean:
	$(SWIFT) package clean
