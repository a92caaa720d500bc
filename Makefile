# charter: build, test and install. `make` builds build/charter; `make site`
# renders the example site into _site/; `make test` runs every test, then
# again under AddressSanitizer and UndefinedBehaviorSanitizer.
# Missing Debian packages are installed by scripts/install-deps.sh first.

PREFIX ?= /usr/local
DESTDIR ?=
BUILD ?= build
PKGS := libcmark-gfm yaml-0.1 libgit2 libutf8proc nettle libxxhash libdeflate libmicrohttpd gpgme jansson
VERSION := 0.1.0
# The commit built, for --version only: "unknown" outside a git checkout
# (a release tarball). Passed to main.c alone (see $(BUILD)/gen/commit).
COMMIT := $(shell [ -e .git ] && git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)

CC ?= cc
OPT ?= -O2
CFLAGS ?= $(OPT) -g
WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wformat=2 -Wno-unused-parameter
ALL_CFLAGS = -std=c11 -D_DEFAULT_SOURCE -D_GNU_SOURCE -DCHARTER_VERSION='"$(VERSION)"' \
	$(WARN) $(CFLAGS) $(SANFLAGS) -pthread $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# libmicrohttpd is not linked: serve.c opens it (dlopen) when `charter serve`
# starts a server, by the soname of the library installed here, since
# linked it brings GnuTLS, whose set-up cost every command 8 ms.
LINK_PKGS := $(filter-out libmicrohttpd,$(PKGS))
LIBS = $(shell pkg-config --libs $(LINK_PKGS) 2>/dev/null) -lcmark-gfm-extensions -pthread
MHD_SONAME = $(shell f="$$(pkg-config --variable=libdir libmicrohttpd 2>/dev/null)/libmicrohttpd.so"; \
	[ -e "$$f" ] && readelf -d "$$f" 2>/dev/null | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')

# Debian 12 packages cmark-gfm 0.29.0.gfm.6, which lacks upstream's fixes of
# quadratic inputs (CVE-2023-22483 ... -37463, fixed by gfm.12): say which
# version is linked, and warn when it is older (docs/security.md).
CMARK_VERSION_NOTE = v=$$(pkg-config --modversion libcmark-gfm 2>/dev/null); \
	echo "charter: linked with cmark-gfm $${v:-(unknown)}"; \
	if [ -n "$$v" ] && [ "$$(printf '%s\n' "$$v" 0.29.0.gfm.12 | sort -V | head -n 1)" != 0.29.0.gfm.12 ]; then \
	echo "charter: warning: cmark-gfm $$v is older than 0.29.0.gfm.12: some Markdown inputs are slow (CVE-2023-22483, -22484, -22485, -22486, -24824, -26485, -37463); limits.page_seconds bounds them, see docs/security.md" >&2; fi

SRCS := $(wildcard generator/*.c)
LIB_SRCS := $(filter-out generator/main.c,$(SRCS))
# The default theme and catalogs, from the example site, compiled in
# (generator/embed.h): scripts/embed.sh writes them into a generated table,
# never committed. The list is kept in a file rewritten when it changes, so
# adding or removing a file rebuilds the table as editing one does.
EMBED_FILES := $(wildcard layouts/*.html layouts/_includes/*.html assets/*) \
	$(addprefix controls/,iso27001-2022.yml iso27001-2013.yml soc2.yml nist-csf-2.0.yml \
		crosswalk-iso27001-2013-iso27001-2022.yml)
EMBED_OBJ := $(BUILD)/gen/embedded.o
OBJS := $(patsubst generator/%.c,$(BUILD)/obj/%.o,$(SRCS)) $(EMBED_OBJ)
LIB_OBJS := $(patsubst generator/%.c,$(BUILD)/obj/%.o,$(LIB_SRCS)) $(EMBED_OBJ)
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRCS))
TOOL_SRCS := $(wildcard tests/tools/*.c)
TOOL_BINS := $(patsubst tests/tools/%.c,$(BUILD)/tools/%,$(TOOL_SRCS))
# The ctemplate differential test: oracle (libctemplate) against charter-render.
ORACLE_PKGS := libctemplate yaml-0.1
ORACLE_BINS := $(BUILD)/tests/oracle $(BUILD)/tests/charter-render $(BUILD)/tests/context-diff

.PHONY: all deps test-deps site test check-unit check-e2e check-oracle check-browser test-san install uninstall clean format bench

# The binary, its man page and its completions (written by the binary from
# its own options tables: docs/install.md).
all: $(BUILD)/charter $(BUILD)/charter.1 $(BUILD)/charter.bash $(BUILD)/_charter

deps:
	@scripts/install-deps.sh

test-deps:
	@scripts/install-deps.sh --test

$(BUILD)/obj/%.o: generator/%.c $(wildcard generator/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/gen/embed.list: FORCE
	@mkdir -p $(dir $@)
	@echo '$(EMBED_FILES)' | cmp -s - $@ || echo '$(EMBED_FILES)' >$@

$(BUILD)/gen/embedded.c: scripts/embed.sh $(BUILD)/gen/embed.list $(EMBED_FILES)
	sh scripts/embed.sh $(EMBED_FILES) >$@.tmp && mv $@.tmp $@

$(EMBED_OBJ): $(BUILD)/gen/embedded.c generator/embed.h generator/buf.h
	$(CC) $(ALL_CFLAGS) -Igenerator -c -o $@ $<

.PHONY: FORCE
FORCE:

# The commit reaches main.o alone, through a file rewritten only when HEAD
# moves: a commit recompiles main.c and relinks, nothing more.
$(BUILD)/gen/commit: FORCE
	@mkdir -p $(dir $@)
	@echo '$(COMMIT)' | cmp -s - $@ || echo '$(COMMIT)' >$@

$(BUILD)/obj/main.o: $(BUILD)/gen/commit
$(BUILD)/obj/main.o: ALL_CFLAGS += -DCHARTER_COMMIT='"$(COMMIT)"'
$(BUILD)/obj/serve.o: ALL_CFLAGS += $(if $(MHD_SONAME),-DMHD_SONAME='"$(MHD_SONAME)"')

$(BUILD)/charter: $(OBJS)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(OBJS) $(LIBS)
	@$(CMARK_VERSION_NOTE)

# charter(1) and the completions, from the binary's tables (generator/clidoc.c).
$(BUILD)/charter.1: $(BUILD)/charter
	$(BUILD)/charter help --man >$@.tmp && mv $@.tmp $@

$(BUILD)/charter.bash: $(BUILD)/charter
	$(BUILD)/charter help --completion bash >$@.tmp && mv $@.tmp $@

$(BUILD)/_charter: $(BUILD)/charter
	$(BUILD)/charter help --completion zsh >$@.tmp && mv $@.tmp $@

$(BUILD)/tests/%: tests/unit/%.c $(LIB_OBJS) tests/unit/unit.h tests/unit/unit_history.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Igenerator -o $@ $< $(LIB_OBJS) $(LIBS) $(shell pkg-config --libs criterion 2>/dev/null)

$(BUILD)/tools/%: tests/tools/%.c $(LIB_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Igenerator -o $@ $< $(LIB_OBJS) $(LIBS)

$(BUILD)/tests/charter-render: tests/ctemplate-oracle/charter-render.c $(LIB_OBJS) $(wildcard generator/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Igenerator -o $@ $< $(LIB_OBJS) $(LIBS)

# Never sanitized, not even in build-san: libctemplate itself is not.
$(BUILD)/tests/oracle: tests/ctemplate-oracle/oracle.cc
	@mkdir -p $(dir $@)
	$(CXX) -O2 -g -Wall -Wextra -pthread $(shell pkg-config --cflags $(ORACLE_PKGS)) \
		-o $@ $< $(shell pkg-config --libs $(ORACLE_PKGS))

# The auto-escape context scanner against upstream's, byte by byte (links the
# scanner, sanitized in build-san, with libctemplate, which exports its own).
$(BUILD)/tests/context-diff: tests/ctemplate-oracle/context-diff.cc $(BUILD)/obj/autoescape.o $(BUILD)/obj/buf.o
	@mkdir -p $(dir $@)
	$(CXX) -O1 -g -Wall -Wextra -pthread $(SANFLAGS) -Igenerator -o $@ $< \
		$(BUILD)/obj/autoescape.o $(BUILD)/obj/buf.o $(shell pkg-config --libs libctemplate)

# The example site is built from a repository of its own, made by
# scripts/example-repo.sh from the root's site.yml, content, controls,
# layouts and assets (docs/example.md), so its pages show the history of a
# policy programme rather than charter's. Remade when one of them changes.
# EXAMPLE_AS_OF: one review due soon (incident management), none overdue.
EXAMPLE_AS_OF := 2027-01-10
EXAMPLE_FILES := scripts/example-repo.sh site.yml $(wildcard content/*.md content/*/*.md \
	controls/*.yml layouts/*.html layouts/_includes/*.html assets/*)

.PHONY: example-repo
example-repo: $(BUILD)/example.stamp

# The list, rewritten when it changes, remakes it when a page is removed too.
$(BUILD)/example.list: FORCE
	@mkdir -p $(dir $@)
	@echo '$(EXAMPLE_FILES)' | cmp -s - $@ || echo '$(EXAMPLE_FILES)' >$@

$(BUILD)/example.stamp: $(EXAMPLE_FILES) $(BUILD)/example.list
	rm -rf $(BUILD)/example
	sh scripts/example-repo.sh $(BUILD)/example
	@touch $@

site: deps
	@$(MAKE) --no-print-directory $(BUILD)/charter example-repo
	$(BUILD)/charter build --site $(BUILD)/example --out $(CURDIR)/_site --as-of $(EXAMPLE_AS_OF)

# The real work runs in a sub-make so pkg-config sees packages installed by deps.
# Every binary the suites run is compiled first on every core (make -j), so
# that the suites, which run one after the other, do not compile one file at
# a time.
test: test-deps
	@$(MAKE) --no-print-directory -j$(JOBS) test-bins
	@$(MAKE) --no-print-directory check-unit check-e2e check-oracle fuzz-replay check-pathological check-browser
	@$(MAKE) --no-print-directory test-san

# Criterion runs each test in a child whose sanitizer report does not fail
# it: the output is searched for one, so a leak fails the suite.
check-unit: $(UNIT_BINS)
	@set -e; for t in $(UNIT_BINS); do echo "unit: $$t"; $$t --jobs 2 2>&1 | tee $(BUILD)/unit.log; \
		if grep -q 'ERROR: LeakSanitizer\|ERROR: AddressSanitizer\|runtime error' $(BUILD)/unit.log; then \
		echo "unit: $$t: sanitizer report"; exit 1; fi; \
		tail -n 1 $(BUILD)/unit.log | grep -q 'Failing: 0 | Crashing: 0' || exit 1; done

# The scripts that run no charter (the fixture and example repositories'
# determinism, the CI YAML) run in the plain pass only: the sanitizers have
# nothing to find in them, and test-san would only spend a minute again.
PLAIN_ONLY = $(if $(SANFLAGS),@: ,@)

# The suites below, in two lanes side by side (make -j2, each lane's report
# printed whole when it ends): they share nothing but the binaries, and
# each runs mostly on one core. Balanced by time (2026-12-07, plain build:
# lane A about 150 s, the serve suite 90 s of it; lane B about 140 s).
check-e2e: $(BUILD)/charter $(TOOL_BINS) $(BUILD)/charter.1 $(BUILD)/charter.bash $(BUILD)/_charter
	@tests/sarif/setup.sh
	@$(MAKE) --no-print-directory -j2 -Otarget e2e-lane-a e2e-lane-b

.PHONY: e2e-lane-a e2e-lane-b
e2e-lane-a: $(BUILD)/charter $(TOOL_BINS) $(BUILD)/charter.1 $(BUILD)/charter.bash $(BUILD)/_charter
	@date +%s >$(BUILD)/e2e-lane-a.start
	@CHARTER=$(abspath $(BUILD)/charter) TOOLS=$(abspath $(BUILD)/tools) tests/e2e/run.sh
	@CHARTER=$(abspath $(BUILD)/charter) BUILD_DIR=$(abspath $(BUILD)) sh tests/man/run.sh >$(BUILD)/man.log || { cat $(BUILD)/man.log; exit 1; }
	@tail -n 1 $(BUILD)/man.log
	@CHARTER=$(abspath $(BUILD)/charter) tests/example-site.sh
	@CHARTER=$(abspath $(BUILD)/charter) tests/check-ids.sh
	@CHARTER=$(abspath $(BUILD)/charter) COARSE_STEPS=$(if $(SANFLAGS),0,8) sh tests/cache/coarse.sh >$(BUILD)/coarse.log || { cat $(BUILD)/coarse.log; exit 1; }
	@tail -n 1 $(BUILD)/coarse.log
	@CHARTER=$(abspath $(BUILD)/charter) sh tests/homes/run.sh >$(BUILD)/homes.log || { cat $(BUILD)/homes.log; exit 1; }
	@tail -n 1 $(BUILD)/homes.log
	@CHARTER=$(abspath $(BUILD)/charter) sh tests/reproducible.sh >$(BUILD)/reproducible.log || { cat $(BUILD)/reproducible.log; exit 1; }
	@tail -n 1 $(BUILD)/reproducible.log
	@CHARTER=$(abspath $(BUILD)/charter) sh tests/oscal/roundtrip.sh >$(BUILD)/oscal-roundtrip.log || { cat $(BUILD)/oscal-roundtrip.log; exit 1; }
	@tail -n 1 $(BUILD)/oscal-roundtrip.log
	@CHARTER=$(abspath $(BUILD)/charter) sh tests/oscal/import.sh >$(BUILD)/oscal-import.log || { cat $(BUILD)/oscal-import.log; exit 1; }
	@tail -n 1 $(BUILD)/oscal-import.log
	@CHARTER=$(abspath $(BUILD)/charter) sh tests/crosswalk/run.sh >$(BUILD)/crosswalk.log || { cat $(BUILD)/crosswalk.log; exit 1; }
	@tail -n 1 $(BUILD)/crosswalk.log
	@CHARTER=$(abspath $(BUILD)/charter) sh tests/serve/run.sh >$(BUILD)/serve.log || { cat $(BUILD)/serve.log; exit 1; }
	@tail -n 1 $(BUILD)/serve.log
	@echo "e2e lane a: $$(($$(date +%s) - $$(cat $(BUILD)/e2e-lane-a.start))) s"

e2e-lane-b: $(BUILD)/charter $(TOOL_BINS)
	@date +%s >$(BUILD)/e2e-lane-b.start
	@CHARTER=$(abspath $(BUILD)/charter) sh tests/cache/run.sh >$(BUILD)/cache.log || { cat $(BUILD)/cache.log; exit 1; }
	@tail -n 1 $(BUILD)/cache.log
	@CHARTER=$(abspath $(BUILD)/charter) sh tests/incremental/run.sh >$(BUILD)/incremental.log || { cat $(BUILD)/incremental.log; exit 1; }
	@tail -n 1 $(BUILD)/incremental.log
	@CHARTER=$(abspath $(BUILD)/charter) SEED=1 STEPS=$(if $(SANFLAGS),15,30) sh tests/incremental/random.sh >$(BUILD)/random.log || { cat $(BUILD)/random.log; exit 1; }
	@tail -n 1 $(BUILD)/random.log
	@CHARTER=$(abspath $(BUILD)/charter) FIXTURE=jekyll-isms SEED=1 STEPS=$(if $(SANFLAGS),10,20) sh tests/incremental/random.sh >$(BUILD)/random-jekyll.log || { cat $(BUILD)/random-jekyll.log; exit 1; }
	@tail -n 1 $(BUILD)/random-jekyll.log
	@CHARTER=$(abspath $(BUILD)/charter) sh tests/history/compare.sh
	@CHARTER=$(abspath $(BUILD)/charter) sh tests/at/run.sh >$(BUILD)/at.log || { cat $(BUILD)/at.log; exit 1; }
	@tail -n 1 $(BUILD)/at.log
	@CHARTER=$(abspath $(BUILD)/charter) sh tests/oscal/export.sh >$(BUILD)/oscal-export.log || { cat $(BUILD)/oscal-export.log; exit 1; }
	@tail -n 1 $(BUILD)/oscal-export.log
	@CHARTER=$(abspath $(BUILD)/charter) sh tests/diff/run.sh >$(BUILD)/diff.log || { cat $(BUILD)/diff.log; exit 1; }
	@tail -n 1 $(BUILD)/diff.log
	@CHARTER=$(abspath $(BUILD)/charter) sh tests/verify/run.sh >$(BUILD)/verify.log || { cat $(BUILD)/verify.log; exit 1; }
	@tail -n 1 $(BUILD)/verify.log
	@CHARTER=$(abspath $(BUILD)/charter) sh tests/evidence/run.sh >$(BUILD)/evidence.log || { cat $(BUILD)/evidence.log; exit 1; }
	@tail -n 1 $(BUILD)/evidence.log
	$(PLAIN_ONLY)sh tests/example-repo.sh >$(BUILD)/example-repo.log || { cat $(BUILD)/example-repo.log; exit 1; }
	$(PLAIN_ONLY)tail -n 1 $(BUILD)/example-repo.log
	$(PLAIN_ONLY)sh tests/repos/check-deterministic.sh
	$(PLAIN_ONLY)sh tests/repos/check-defects.sh
	@CHARTER=$(abspath $(BUILD)/charter) sh tests/repos/check-charter.sh
	$(PLAIN_ONLY)sh tests/docs/ci-yaml.sh
	@CHARTER=$(abspath $(BUILD)/charter) sh tests/ci/run.sh >$(BUILD)/ci.log || { cat $(BUILD)/ci.log; exit 1; }
	@tail -n 1 $(BUILD)/ci.log
	@CHARTER=$(abspath $(BUILD)/charter) sh tests/ci/git-environments.sh >$(BUILD)/git-environments.log || { cat $(BUILD)/git-environments.log; exit 1; }
	@tail -n 1 $(BUILD)/git-environments.log
	@echo "e2e lane b: $$(($$(date +%s) - $$(cat $(BUILD)/e2e-lane-b.start))) s"

# tests/pathological runs in the plain build only: it measures CPU time, and
# the sanitizers change what costs what.
# Renders every tests/ctemplate-oracle/cases/<name>/ with both and compares.
check-oracle: $(ORACLE_BINS)
	@$(BUILD)/tests/context-diff 100000
	@ORACLE=$(abspath $(BUILD)/tests/oracle) \
		CHARTER_RENDER=$(abspath $(BUILD)/tests/charter-render) tests/ctemplate-oracle/run.sh

# The example site in Debian's Chromium (tests/browser/run.sh): crawl, console
# errors under a strict CSP, axe-core, search, handbook print, screenshots in
# tests/browser/out/. Skipped when Chromium or Node.js is missing; not in test-san.
check-browser: $(BUILD)/charter
	@CHARTER=$(abspath $(BUILD)/charter) sh tests/browser/run.sh

# Pathological Markdown (tests/pathological/README.md): every published input
# that made cmark or cmark-gfm super-linear, and charter's own bad cases, at
# 1k, 10k and 100k repetitions through `charter check`; fails on super-linear
# CPU time or report size, a hang, or a known slow input the page budget
# (limits.page_seconds) does not stop. About a minute on an idle 2-core
# machine: the 19 known slow inputs, which wait out the page budget, run
# beside the others (run.py --jobs, default 2). Then a
# page 600 folders deep, whose walk must not grow with the square of its
# depth (deep-folders.sh, counting realpath calls; under a second), and a plain
# repository of many pages and top-level names whose init must read each page
# once for all names (init-leftovers.sh, counting opens).
.PHONY: check-pathological
check-pathological: $(BUILD)/charter
	@CHARTER=$(abspath $(BUILD)/charter) python3 tests/pathological/run.py
	@CHARTER=$(abspath $(BUILD)/charter) sh tests/pathological/deep-folders.sh
	@CHARTER=$(abspath $(BUILD)/charter) sh tests/pathological/init-leftovers.sh

TEST_SAN = BUILD=build-san OPT=-O1 \
	SANFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
test-san:
	@$(MAKE) --no-print-directory $(TEST_SAN) -j$(JOBS) test-bins
	@$(MAKE) --no-print-directory $(TEST_SAN) \
		check-unit check-e2e check-oracle fuzz-replay

# Random edit sequences (tests/incremental/random.sh) beyond the two `make
# test` runs (seed 1: 30 steps on the example, 20 on jekyll-isms, half as
# many under the sanitizers, to keep `make test` near 18 minutes): each seed of RANDOM_SEEDS on each fixture of RANDOM_FIXTURES
# (the example site, and the repositories of tests/repos/), RANDOM_STEPS
# steps each: about half a second a step on the development machine.
RANDOM_SEEDS ?= 1 2 3 4
RANDOM_STEPS ?= 100
RANDOM_FIXTURES ?= example jekyll-isms comply-soc2 docusaurus-iso hugo-plain
.PHONY: check-random
check-random: $(BUILD)/charter
	@set -e; for f in $(RANDOM_FIXTURES); do for s in $(RANDOM_SEEDS); do \
		log=$(BUILD)/random-$$f-$$s.log; \
		CHARTER=$(abspath $(BUILD)/charter) FIXTURE=$$f SEED=$$s STEPS=$(RANDOM_STEPS) \
			sh tests/incremental/random.sh >$$log || { grep -v '^ok' $$log; exit 1; }; \
		echo "$$f, seed $$s: $$(tail -n 1 $$log)"; done; done

# PREFIX (default /usr/local) and DESTDIR (a staging root, for packages).
# The completions go where bash-completion and Debian's zsh look for them.
MANDIR ?= $(PREFIX)/share/man/man1
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR ?= $(PREFIX)/share/zsh/vendor-completions

install: $(BUILD)/charter $(BUILD)/charter.1 $(BUILD)/charter.bash $(BUILD)/_charter
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(MANDIR) $(DESTDIR)$(BASHCOMPDIR) \
		$(DESTDIR)$(ZSHCOMPDIR)
	install -m 755 $(BUILD)/charter $(DESTDIR)$(PREFIX)/bin/charter
	install -m 644 $(BUILD)/charter.1 $(DESTDIR)$(MANDIR)/charter.1
	install -m 644 $(BUILD)/charter.bash $(DESTDIR)$(BASHCOMPDIR)/charter
	install -m 644 $(BUILD)/_charter $(DESTDIR)$(ZSHCOMPDIR)/_charter

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/charter $(DESTDIR)$(MANDIR)/charter.1 \
		$(DESTDIR)$(BASHCOMPDIR)/charter $(DESTDIR)$(ZSHCOMPDIR)/_charter

format:
	clang-format -i generator/*.c generator/*.h tests/unit/*.c tests/unit/*.h \
		tests/ctemplate-oracle/*.c tests/ctemplate-oracle/*.cc

clean:
	rm -rf build build-san build-fuzz _site

# --- the Debian package: debian/ (docs/packaging.md) -------------------------------
# `make deb` builds charter_VERSION_ARCH.deb into $(BUILD)/deb/ with
# dpkg-buildpackage, from a clean export of HEAD (scripts/build-deb.sh):
# commit first, uncommitted changes are left out. `make check-deb` builds it
# again the same way and tests it installed (tests/deb/run.sh): a full
# compile, a minute or two, so not part of `make test`.
.PHONY: deb check-deb

deb:
	@scripts/install-deps.sh --deb
	@sh scripts/build-deb.sh $(BUILD)/deb

check-deb:
	@scripts/install-deps.sh --deb
	@sh tests/deb/run.sh

# --- fuzzing: tests/fuzz/ (see tests/fuzz/README.md) ---------------------------
# `make fuzz [FUZZ_SECONDS=60]` installs clang and libFuzzer
# (scripts/install-deps.sh --fuzz), builds every target with clang, ASan and
# UBSan in $(FUZZ_BUILD)/ and runs each for FUZZ_SECONDS; it fails if any
# found a crash, timeout or leak. `make fuzz-replay` builds the same targets
# with $(CC) around tests/fuzz/replay.c (no libFuzzer) and feeds them every
# saved input; with BUILD=build-san and SANFLAGS as in test-san, sanitized.
FUZZ_TARGETS := frontmatter template markdown config links review oscal html packidx packread fix catalog trailers navorder crosswalk init dates toml build jsondoc
FUZZ_SECONDS ?= 60
FUZZ_BUILD ?= build-fuzz
FUZZ_SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_BINS = $(patsubst %,$(BUILD)/fuzz/fuzz_%,$(FUZZ_TARGETS))
REPLAY_BINS = $(patsubst %,$(BUILD)/fuzz-replay/fuzz_%,$(FUZZ_TARGETS))

.PHONY: fuzz fuzz-build fuzz-replay

fuzz:
	@scripts/install-deps.sh --fuzz
	@$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=clang OPT=-O1 \
		SANFLAGS="$(FUZZ_SANFLAGS) -fsanitize=fuzzer-no-link" fuzz-build
	@tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# The libFuzzer binaries; only meaningful with the CC and SANFLAGS of `fuzz`.
fuzz-build: $(FUZZ_BINS)

$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h tests/fuzz/fuzz_site.h tests/fuzz/fuzz_python.h $(LIB_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -fsanitize=fuzzer -Igenerator -o $@ $< $(LIB_OBJS) $(LIBS)

fuzz-replay: $(REPLAY_BINS)
	@set -e; for t in $(FUZZ_TARGETS); do \
		$(BUILD)/fuzz-replay/fuzz_$$t tests/fuzz/regressions/$$t tests/fuzz/corpus/$$t; done

$(BUILD)/fuzz-replay/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c tests/fuzz/fuzz.h tests/fuzz/fuzz_site.h tests/fuzz/fuzz_python.h $(LIB_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Igenerator -o $@ $< tests/fuzz/replay.c $(LIB_OBJS) $(LIBS)
# --- end of fuzzing --------------------------------------------------------------

# What make test runs, compiled before it runs anything (JOBS at a time).
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
.PHONY: test-bins
test-bins: $(BUILD)/charter $(BUILD)/charter.1 $(BUILD)/charter.bash $(BUILD)/_charter \
	$(TOOL_BINS) $(UNIT_BINS) $(ORACLE_BINS) $(REPLAY_BINS)
