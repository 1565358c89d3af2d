# iam-audit — build, run, test, document, benchmark, install.
# `make run` audits policies/; `make test` runs the whole test suite.

SWIFT     ?= swift
PREFIX    ?= /usr/local
BINDIR     = $(PREFIX)/bin
CONFIG    ?= debug
SHARED    ?= ../shared

.PHONY: all build release run test docs bench fuzz install uninstall clean

all: build

build:
	$(SWIFT) build -c $(CONFIG)

release:
	$(SWIFT) build -c release --product iam-audit

run: build
	"$$($(SWIFT) build -c $(CONFIG) --show-bin-path)/iam-audit" policies/

test:
	$(SWIFT) test

docs: build
	"$$($(SWIFT) build -c $(CONFIG) --show-bin-path)/iam-audit" rules --format markdown > docs/RULES.md.tmp && mv docs/RULES.md.tmp docs/RULES.md

bench:
	$(SWIFT) build -c release --product iam-audit
	$(SWIFT) build -c release --product iam-audit-bench
	.build/release/iam-audit-bench --tool .build/release/iam-audit --shared $(SHARED)

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
