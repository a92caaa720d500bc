# charter: build, test and install. `make` builds build/charter; `make site`
# renders the example site into _site/; `make test` runs every test, then
# again under AddressSanitizer and UndefinedBehaviorSanitizer.
# Missing Debian packages are installed by scripts/install-deps.sh first.

PREFIX ?= /usr/local
DESTDIR ?=
BUILD ?= build
PKGS := libcmark-gfm yaml-0.1 libgit2 libutf8proc nettle
VERSION := 0.1.0

CC ?= cc
OPT ?= -O2
CFLAGS ?= $(OPT) -g
WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wformat=2 -Wno-unused-parameter
ALL_CFLAGS = -std=c11 -D_DEFAULT_SOURCE -D_GNU_SOURCE -DCHARTER_VERSION='"$(VERSION)"' \
	$(WARN) $(CFLAGS) $(SANFLAGS) -pthread $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcmark-gfm-extensions -pthread

SRCS := $(wildcard generator/*.c)
LIB_SRCS := $(filter-out generator/main.c,$(SRCS))
OBJS := $(patsubst generator/%.c,$(BUILD)/obj/%.o,$(SRCS))
LIB_OBJS := $(patsubst generator/%.c,$(BUILD)/obj/%.o,$(LIB_SRCS))
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRCS))
TOOL_SRCS := $(wildcard tests/tools/*.c)
TOOL_BINS := $(patsubst tests/tools/%.c,$(BUILD)/tools/%,$(TOOL_SRCS))
# The ctemplate differential test: oracle (libctemplate) against charter-render.
ORACLE_PKGS := libctemplate yaml-0.1
ORACLE_BINS := $(BUILD)/tests/oracle $(BUILD)/tests/charter-render $(BUILD)/tests/context-diff

.PHONY: all deps test-deps site test check-unit check-e2e check-oracle check-browser test-san install uninstall clean format bench

all: $(BUILD)/charter

deps:
	@scripts/install-deps.sh

test-deps:
	@scripts/install-deps.sh --test

$(BUILD)/obj/%.o: generator/%.c $(wildcard generator/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/charter: $(OBJS)
	$(CC) $(ALL_CFLAGS) -o $@ $(OBJS) $(LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(LIB_OBJS) tests/unit/unit.h
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

site: deps
	@$(MAKE) --no-print-directory $(BUILD)/charter
	$(BUILD)/charter build

# The real work runs in a sub-make so pkg-config sees packages installed by deps.
test: test-deps
	@$(MAKE) --no-print-directory check-unit check-e2e check-oracle check-browser
	@$(MAKE) --no-print-directory test-san

check-unit: $(UNIT_BINS)
	@set -e; for t in $(UNIT_BINS); do echo "unit: $$t"; $$t --jobs 2; done

check-e2e: $(BUILD)/charter $(TOOL_BINS)
	@tests/sarif/setup.sh
	@CHARTER=$(abspath $(BUILD)/charter) TOOLS=$(abspath $(BUILD)/tools) tests/e2e/run.sh
	@CHARTER=$(abspath $(BUILD)/charter) tests/example-site.sh
	@CHARTER=$(abspath $(BUILD)/charter) tests/check-ids.sh
	@CHARTER=$(abspath $(BUILD)/charter) sh tests/history/compare.sh

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

test-san:
	@$(MAKE) --no-print-directory BUILD=build-san OPT=-O1 \
		SANFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
		check-unit check-e2e check-oracle

install: $(BUILD)/charter
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(BUILD)/charter $(DESTDIR)$(PREFIX)/bin/charter

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/charter

format:
	clang-format -i generator/*.c generator/*.h tests/unit/*.c tests/unit/*.h \
		tests/ctemplate-oracle/*.c tests/ctemplate-oracle/*.cc

clean:
	rm -rf build build-san _site
