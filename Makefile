# Makefile - mip6kit: build, tests (Kyua), sanitizers, fuzzing, benchmarks.
#
#   make              build the library, tools and tests into $(BUILD)
#   make check        install missing Debian packages, build, run every test
#                     through Kyua, report failures; non-zero on any failure
#   make check-asan   the same tests built with ASan+UBSan (BUILD=build-asan)
#   make fuzz         build the libFuzzer harnesses, run each for
#                     FUZZ_SECONDS and replay its corpus
#   make bench        benchmarks (ratios against baselines in the same run)
#   make run          the main job on the built-in default
#
# Sources are picked up by wildcard: packets/*.c is the library,
# packets/tests/*_test.c are ATF C test programs, *_test.sh are ATF shell
# test programs, packets/fuzz/fuzz_*.c are fuzz harnesses.  Every test
# program must also be listed in its folder's Kyuafile (checked).

.DEFAULT_GOAL := all

CC	?= cc
BUILD	?= build
SAN	?=
V	?= 0

WARN	 = -Wall -Wextra -Werror -Wshadow -Wpointer-arith \
	   -Wstrict-prototypes -Wmissing-prototypes
CSTD	 = -std=c11 -D_GNU_SOURCE
OPT	?= -O2 -g
CFLAGS	?=
CFLAGS	+= $(CSTD) $(OPT) $(WARN) -I. -MMD -MP
LDFLAGS	?=

ifeq ($(SAN),1)
BUILD	 = build-asan
CFLAGS	+= -fsanitize=address,undefined -fno-omit-frame-pointer \
	   -fno-sanitize-recover=all
LDFLAGS	+= -fsanitize=address,undefined
endif

SRCDIR	:= $(CURDIR)
PKGS	 = libpcap libcrypto
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CFLAGS	+= $(PKG_CFLAGS)

ifeq ($(V),0)
Q	 = @
else
Q	 =
endif

# ---------------------------------------------------------------- library
PKT_SRCS  := $(wildcard packets/*.c)
PKT_OBJS  := $(PKT_SRCS:%.c=$(BUILD)/%.o)
PKT_LIB   := $(BUILD)/libmip6pkt.a

# ---------------------------------------------------------------- engine
# The conformance engine: conformance/engine/*.c, linked into the tools and
# the test programs after the wire-format library.
CONF_SRCS := $(wildcard conformance/engine/*.c)
CONF_OBJS := $(CONF_SRCS:%.c=$(BUILD)/%.o)
CONF_LIB  := $(if $(CONF_SRCS),$(BUILD)/libmip6conf.a)

# ---------------------------------------------------------------- stack
# stack/lib/*.c: what every daemon shares (libmip6stack.a).
# stack/bpf/NAME.bpf.c: eBPF programs, compiled with clang -target bpf;
# `bpftool gen skeleton` makes $(BUILD)/stack/bpf/NAME.skel.h.
# stack/DAEMON/: DAEMON.c holds main(); the folder's other .c files become
# $(BUILD)/stack/DAEMON/libDAEMON.a, linked into the daemon and into every
# test program (so the engines are tested without the process around them).
STACK_LIB_SRCS := $(wildcard stack/lib/*.c)
STACK_LIB_OBJS := $(STACK_LIB_SRCS:%.c=$(BUILD)/%.o)
STACK_LIB   := $(if $(STACK_LIB_SRCS),$(BUILD)/libmip6stack.a)
BPF_SRCS    := $(wildcard stack/bpf/*.bpf.c)
BPF_OBJS    := $(BPF_SRCS:%.bpf.c=$(BUILD)/%.bpf.o)
BPF_SKELS   := $(BPF_SRCS:%.bpf.c=$(BUILD)/%.skel.h)
BPF_CLANG   ?= clang
BPF_ARCH_INC := /usr/include/$(shell gcc -print-multiarch 2>/dev/null)
BPF_CFLAGS  := -g -O2 -target bpf -D__bpf__ -I. -I$(BPF_ARCH_INC) \
	       -Wall -Wextra -Werror -Wno-unused-parameter
DAEMON_NAMES := $(sort $(foreach f,$(wildcard stack/*/*.c),$(notdir $(patsubst %/,%,$(dir $(f))))))
DAEMON_NAMES := $(filter-out lib bpf,$(DAEMON_NAMES))
DAEMONS     := $(DAEMON_NAMES:%=$(BUILD)/%)
DAEMON_LIBS := $(foreach d,$(DAEMON_NAMES),$(if $(filter-out stack/$(d)/$(d).c,$(wildcard stack/$(d)/*.c)),$(BUILD)/stack/$(d)/lib$(d).a))

$(BUILD)/%.bpf.o: %.bpf.c $(wildcard stack/bpf/*.h)
	@mkdir -p $(dir $@)
	@[ $(V) = 1 ] || echo "  BPF     $<"
	$(Q)$(BPF_CLANG) $(BPF_CFLAGS) -c -o $@ $<

$(BUILD)/%.skel.h: $(BUILD)/%.bpf.o
	@[ $(V) = 1 ] || echo "  SKEL    $@"
	$(Q)bpftool gen skeleton $< name $(notdir $*)_bpf > $@.tmp && mv $@.tmp $@

# Everything under stack/ may include a skeleton.
$(STACK_LIB_OBJS) $(foreach d,$(DAEMON_NAMES),$(patsubst %.c,$(BUILD)/%.o,$(wildcard stack/$(d)/*.c))): $(BPF_SKELS)
STACK_CFLAGS := -I$(BUILD)/stack/bpf

$(BUILD)/libmip6stack.a: $(STACK_LIB_OBJS)
	@[ $(V) = 1 ] || echo "  AR      $@"
	$(Q)rm -f $@ && ar rcs $@ $^

define daemon_rule
$(BUILD)/stack/$(1)/lib$(1).a: $(patsubst %.c,$(BUILD)/%.o,$(filter-out stack/$(1)/$(1).c,$(wildcard stack/$(1)/*.c)))
	@[ $(V) = 1 ] || echo "  AR      $$@"
	$(Q)rm -f $$@ && ar rcs $$@ $$^
$(BUILD)/$(1): $(BUILD)/stack/$(1)/$(1).o $(DAEMON_LIBS) $(STACK_LIB) $(CONF_LIB) $(PKT_LIB)
	@[ $(V) = 1 ] || echo "  LD      $$@"
	$(Q)$(CC) $(LDFLAGS) -o $$@ $$^ $$(TOOL_LIBS)
endef
$(foreach d,$(DAEMON_NAMES),$(eval $(call daemon_rule,$(d))))

LIBS_ALL  := $(DAEMON_LIBS) $(STACK_LIB) $(CONF_LIB) $(PKT_LIB)

$(BUILD)/libmip6conf.a: $(CONF_OBJS)
	@[ $(V) = 1 ] || echo "  AR      $@"
	$(Q)rm -f $@ && ar rcs $@ $^

# ---------------------------------------------------------------- tools
# Each tools/NAME/ folder with C sources becomes the program build/NAME.
TOOL_NAMES := $(sort $(foreach f,$(wildcard tools/*/*.c),$(notdir $(patsubst %/,%,$(dir $(f))))))
TOOLS	   := $(TOOL_NAMES:%=$(BUILD)/%)
TOOL_LIBS  := $(PKG_LIBS) $(shell pkg-config --libs libmnl json-c libbpf libevent 2>/dev/null)
MIP6DUMP   := $(BUILD)/mip6dump

define tool_rule
$(BUILD)/$(1): $(patsubst %.c,$(BUILD)/%.o,$(wildcard tools/$(1)/*.c)) $(LIBS_ALL)
	@[ $(V) = 1 ] || echo "  LD      $$@"
	$(Q)$(CC) $(LDFLAGS) -o $$@ $$^ $(TOOL_LIBS)
endef
$(foreach t,$(TOOL_NAMES),$(eval $(call tool_rule,$(t))))

# ---------------------------------------------------------------- tests
TEST_DIRS   := packets/tests $(wildcard tools/*/tests) \
	       $(wildcard conformance/engine/tests) $(wildcard stack/*/tests) \
	       $(wildcard stack/tests)
TESTUTIL_SRCS := $(wildcard packets/tests/testutil*.c)
TESTUTIL_OBJS := $(TESTUTIL_SRCS:%.c=$(BUILD)/%.o)
C_TESTS	    := $(foreach d,$(TEST_DIRS),$(patsubst %.c,$(BUILD)/%,$(wildcard $(d)/*_test.c)))
SH_TESTS    := $(foreach d,$(TEST_DIRS),$(patsubst %.sh,$(BUILD)/%,$(wildcard $(d)/*_test.sh)))
PY_TESTS    := $(foreach d,$(TEST_DIRS),$(patsubst %.py,$(BUILD)/%,$(wildcard $(d)/*_test.py)))
TEST_HELPERS := $(foreach d,$(TEST_DIRS),$(patsubst %.c,$(BUILD)/%,$(wildcard $(d)/*_helper.c)))

# ---------------------------------------------------------------- fuzzing
# packets/fuzz/fuzz_X.c (the decoders) and stack/DAEMON/fuzz/fuzz_X.c (the
# engines that parse what the network sends), each with its seed corpus
# in corpus/X beside it.
FUZZ_SRCS   := $(wildcard packets/fuzz/fuzz_*.c) $(wildcard stack/*/fuzz/fuzz_*.c)
FUZZ_NAMES  := $(notdir $(FUZZ_SRCS:.c=))
fuzz_src     = $(filter %/$(1).c,$(FUZZ_SRCS))
fuzz_corpus  = $(dir $(call fuzz_src,$(1)))corpus/$(patsubst fuzz_%,%,$(1))
FUZZ_BUILD  := build-fuzz
FUZZ_CC	    ?= clang
FUZZ_SECONDS ?= 20
FUZZ_CFLAGS := $(CSTD) -O1 -g -Wall -Wextra -Werror -I. -MMD -MP \
	       -fsanitize=fuzzer-no-link,address,undefined \
	       -fno-sanitize-recover=all $(PKG_CFLAGS)
# Replay drivers (no libFuzzer): a test program per harness.
REPLAY_BINS := $(foreach f,$(FUZZ_NAMES),$(BUILD)/$(dir $(call fuzz_src,$(f)))$(f)_replay)
# What an engine harness in stack/DAEMON/fuzz links besides packets/: the
# daemon's engine sources (not DAEMON.c nor its *_proc.c process code,
# which need libevent and libbpf).
FUZZ_STACK_DIRS := $(patsubst stack/%/fuzz/,%,$(sort $(dir $(wildcard stack/*/fuzz/fuzz_*.c))))
# Plus the stack/lib code the engines use that needs neither: the SA
# table (stack/lib/espsa.c, ESP of the signalling).
fuzz_stack_srcs = $(filter-out stack/$(1)/$(1).c %_proc.c,$(wildcard stack/$(1)/*.c)) \
	$(wildcard stack/lib/espsa.c)

.SECONDARY:

.PHONY: all lib tools daemons tests deps check check-asan check-clang fuzz \
	fuzz-build bench run clean kyuafile-lint man-lint

all: lib $(CONF_LIB) $(STACK_LIB) daemons tools tests

lib: $(PKT_LIB)
tools: $(TOOLS)
daemons: $(DAEMONS)
tests: $(C_TESTS) $(SH_TESTS) $(PY_TESTS) $(TEST_HELPERS) $(REPLAY_BINS) \
	kyuafile-lint

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@[ $(V) = 1 ] || echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS) $(if $(filter stack/%,$<),$(STACK_CFLAGS)) \
	    -DMIP6_SRCDIR='"$(SRCDIR)"' -c -o $@ $<

$(PKT_LIB): $(PKT_OBJS)
	@[ $(V) = 1 ] || echo "  AR      $@"
	$(Q)rm -f $@ && ar rcs $@ $^

# An ATF C test program: one source file plus the shared test utilities.
$(BUILD)/%_test: $(BUILD)/%_test.o $(TESTUTIL_OBJS) $(LIBS_ALL)
	@[ $(V) = 1 ] || echo "  LD      $@"
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LIBS_ALL) $(TOOL_LIBS) \
	    $$(pkg-config --libs atf-c)

$(BUILD)/%_helper: $(BUILD)/%_helper.o $(LIBS_ALL)
	@[ $(V) = 1 ] || echo "  LD      $@"
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LIBS_ALL) $(TOOL_LIBS)

# Shell and Python test programs: paths substituted, made executable.
SUBST = sed -e 's|@SRCDIR@|$(SRCDIR)|g' \
	    -e 's|@BUILDDIR@|$(abspath $(BUILD))|g'

$(BUILD)/%_test: %_test.sh
	@mkdir -p $(dir $@)
	$(Q)$(SUBST) $< > $@.tmp && chmod +x $@.tmp && mv $@.tmp $@

$(BUILD)/%_test: %_test.py
	@mkdir -p $(dir $@)
	$(Q)$(SUBST) $< > $@.tmp && chmod +x $@.tmp && mv $@.tmp $@

$(BUILD)/packets/fuzz/%_replay: packets/fuzz/%.c packets/fuzz/replay.c \
	$(PKT_LIB)
	@mkdir -p $(dir $@)
	@[ $(V) = 1 ] || echo "  LD      $@"
	$(Q)$(CC) $(CFLAGS) -DMIP6_SRCDIR='"$(SRCDIR)"' \
	    -DFUZZ_NAME='"$*"' -DFUZZ_CORPUS='"$(call fuzz_corpus,$*)"' \
	    -o $@ $< packets/fuzz/replay.c $(PKT_LIB) $(LDFLAGS) $(PKG_LIBS)

$(BUILD)/stack/%_replay: stack/%.c packets/fuzz/replay.c \
	$(DAEMON_LIBS) $(STACK_LIB) $(PKT_LIB)
	@mkdir -p $(dir $@)
	@[ $(V) = 1 ] || echo "  LD      $@"
	$(Q)$(CC) $(CFLAGS) -DMIP6_SRCDIR='"$(SRCDIR)"' \
	    -DFUZZ_NAME='"$(notdir $*)"' \
	    -DFUZZ_CORPUS='"$(call fuzz_corpus,$(notdir $*))"' \
	    -o $@ $< packets/fuzz/replay.c $(DAEMON_LIBS) $(STACK_LIB) \
	    $(PKT_LIB) $(LDFLAGS) $(TOOL_LIBS)

# Every test program in a folder must be named in that folder's Kyuafile.
kyuafile-lint:
	$(Q)for d in $(TEST_DIRS) packets/fuzz $(wildcard stack/*/fuzz); do \
	    [ -d $$d ] || continue; \
	    for f in $$d/*_test.c $$d/*_test.sh $$d/*_test.py; do \
		[ -e $$f ] || continue; \
		n=$$(basename $$f); n=$${n%.*}; \
		grep -q "name *= *'$$n'" $$d/Kyuafile || \
		    { echo "$$d/Kyuafile does not list $$n" >&2; exit 1; }; \
	    done; \
	done

deps:
	$(Q)sh mk/deps.sh

KYUA_RESULTS = $(abspath $(BUILD))/kyua-results.db

# The README's test command.  Exit status: kyua test's (1 on any failure).
check: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)rm -f $(KYUA_RESULTS)
	$(Q)st=0; kyua test --kyuafile=Kyuafile --build-root=$(BUILD) \
	    --results-file=$(KYUA_RESULTS) || st=$$?; \
	sh mk/kyua-summary.sh $(KYUA_RESULTS) || st=1; \
	exit $$st

check-asan:
	$(Q)LSAN_OPTIONS=suppressions=$(SRCDIR)/mk/lsan.supp:print_suppressions=0 \
	    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	    $(MAKE) --no-print-directory SAN=1 check

check-clang:
	$(Q)$(MAKE) --no-print-directory CC=clang BUILD=build-clang all

# ---------------------------------------------------------------- fuzzing
FUZZ_PKT_OBJS := $(PKT_SRCS:%.c=$(FUZZ_BUILD)/%.o)
FUZZ_BINS     := $(FUZZ_NAMES:%=$(FUZZ_BUILD)/%)

$(FUZZ_BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

$(FUZZ_BUILD)/fuzz_%: packets/fuzz/fuzz_%.c $(FUZZ_PKT_OBJS)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ \
	    $(filter %.c %.o,$^) $(PKG_LIBS)

define fuzz_stack_rule
$$(FUZZ_BUILD)/fuzz_%: stack/$(1)/fuzz/fuzz_%.c $$(FUZZ_PKT_OBJS) \
	$(patsubst %.c,$$(FUZZ_BUILD)/%.o,$(call fuzz_stack_srcs,$(1)))
	$$(Q)$$(FUZZ_CC) $$(FUZZ_CFLAGS) -fsanitize=fuzzer -o $$@ \
	    $$(filter %.c %.o,$$^) $$(PKG_LIBS)
endef
$(foreach d,$(FUZZ_STACK_DIRS),$(eval $(call fuzz_stack_rule,$(d))))

fuzz-build: $(FUZZ_BINS)

# Each harness runs for FUZZ_SECONDS on a scratch copy of its corpus (new
# finds are not committed by accident), then replays the committed corpus.
fuzz: fuzz-build
	$(Q)set -e; for f in $(FUZZ_NAMES); do \
	    c=$$(dirname $$(ls packets/fuzz/$$f.c stack/*/fuzz/$$f.c 2>/dev/null | head -1))/corpus/$${f#fuzz_}; \
	    w=$(FUZZ_BUILD)/work/$$f; \
	    rm -rf $$w && mkdir -p $$w && cp $$c/* $$w/ 2>/dev/null || true; \
	    echo "fuzz: $$f for $(FUZZ_SECONDS)s"; \
	    $(FUZZ_BUILD)/$$f -max_total_time=$(FUZZ_SECONDS) \
		-print_final_stats=1 -artifact_prefix=$(FUZZ_BUILD)/$$f- \
		$$w $$c 2>&1 | grep -E '^(stat::number_of_executed_units|==|SUMMARY|#.*DONE)' || true; \
	    if ls $(FUZZ_BUILD)/$$f-crash-* $(FUZZ_BUILD)/$$f-leak-* \
		$(FUZZ_BUILD)/$$f-timeout-* >/dev/null 2>&1; then \
		echo "fuzz: $$f found a crash:"; ls $(FUZZ_BUILD)/$$f-*; exit 1; fi; \
	    $(FUZZ_BUILD)/$$f -runs=0 $$c >/dev/null 2>&1 || \
		{ echo "fuzz: $$f corpus replay failed"; exit 1; }; \
	done; echo "fuzz: all harnesses clean"

# ---------------------------------------------------------------- bench, run
bench: all
	$(Q)sh mk/bench.sh $(BUILD)
	$(Q)sh mk/bench-conf.sh $(BUILD)
	$(Q)sh mk/bench-ha.sh $(BUILD)
	$(Q)sh mk/bench-mn.sh $(BUILD)
	$(Q)sh mk/bench-dsmip.sh $(BUILD)

run: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)sh mk/run.sh $(BUILD)

man-lint:
	$(Q)for m in $$(find . -name '*.[1-8]' -path './*/*' -not -path './build*'); do \
	    mandoc -Tlint -Wwarning $$m || exit 1; done

clean:
	rm -rf build build-asan build-clang build-fuzz

-include $(shell find $(BUILD) $(FUZZ_BUILD) -name '*.d' 2>/dev/null)
