# The book's build. `make` builds the book, `make test` runs the tests.
# See README.md; V=1 shows the commands.

BUILD   ?= build
CC      ?= cc
CFLAGS  ?= -O2 -g
# snprintf truncating a long path or message is deliberate, not a bug.
WARN     = -std=gnu11 -Wall -Wextra -Werror -Wno-format-truncation
CPPFLAGS += -D_GNU_SOURCE -MMD -MP
LDLIBS_PCAP  = -lpcap
LDLIBS_CMARK = -lcmark

all:

ifeq ($(V),1)
Q =
else
Q = @
endif

# --- the tools ------------------------------------------------------------
# tangle/: tangle.c and weave.c are the two programs; every other .c there is
# shared by both. code/: harness.c and pcap2txt.c are programs; every other
# .c there is shared, except lab_*.c which belong to the chapter programs.
TANGLE_LIB  := $(filter-out tangle/tangle.c tangle/weave.c,$(wildcard tangle/*.c))
CODE_MAINS  := code/harness.c code/pcap2txt.c code/ladder.c code/claims.c
CODE_LIB    := $(filter-out $(CODE_MAINS),$(wildcard code/*.c))

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))

TOOLS := $(BUILD)/bin/tangle $(BUILD)/bin/weave $(BUILD)/bin/harness $(BUILD)/bin/pcap2txt $(BUILD)/bin/ladder $(BUILD)/bin/claims

# The Debian packages: installed when missing (as root), or named.
$(BUILD)/.deps: code/debian-packages code/check-deps.sh
	$(Q)code/check-deps.sh
	$(Q)mkdir -p $(BUILD) && touch $@

$(BUILD)/obj/%.o: %.c | $(BUILD)/.deps $(BUILD)/obj/tangle/ $(BUILD)/obj/code/
	@echo "  CC      $<"
	$(Q)$(CC) $(CPPFLAGS) -Itangle -Icode $(WARN) $(CFLAGS) -c -o $@ $<

$(BUILD)/bin/tangle: $(call obj,tangle/tangle.c $(TANGLE_LIB)) | $(BUILD)/bin/
	@echo "  LD      $@"
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS_CMARK)

$(BUILD)/bin/weave: $(call obj,tangle/weave.c $(TANGLE_LIB)) | $(BUILD)/bin/
	@echo "  LD      $@"
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS_CMARK)

$(BUILD)/bin/%: $(call obj,code/%.c $(CODE_LIB)) | $(BUILD)/bin/
	@echo "  LD      $@"
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS_PCAP)

# tools: build the four programs only
tools: $(TOOLS)

# --- the book -----------------------------------------------------------------
CHAPTERS := $(sort $(wildcard chapters/*.md))
STEMS    := $(basename $(notdir $(CHAPTERS)))
PAGES    := $(patsubst %,$(BUILD)/html/%.html,$(STEMS))

# all: build the book (HTML in build/html/) and say which chapters failed
all: $(PAGES) $(BUILD)/html/index.html
	$(Q)BUILD=$(BUILD) code/check-errors.sh $(STEMS)

# Tangle, compile and run one chapter; its errors go to its page.
$(BUILD)/run/%/.built: chapters/%.md $(TOOLS) code/lab.h code/programs.mk code/build-chapter.sh
	$(Q)BUILD=$(BUILD) MAKE="$(MAKE)" CC="$(CC)" code/build-chapter.sh $<
	$(Q)touch $@

# prev/next for a chapter's page: its neighbours in file-name order.
nav_args = $$(code/nav-args.sh $(1) $(STEMS))

$(BUILD)/html/%.html: chapters/%.md $(BUILD)/run/%/.built $(BUILD)/bin/weave | $(BUILD)/html/
	@echo "  WEAVE   $<"
	$(Q)$(BUILD)/bin/weave --run $(BUILD)/run/$* $(call nav_args,$*) -o $@ $<

$(BUILD)/html/index.html: $(CHAPTERS) $(patsubst %,$(BUILD)/run/%/.built,$(STEMS)) $(BUILD)/bin/weave | $(BUILD)/html/
	@echo "  INDEX   $@"
	$(Q)$(BUILD)/bin/weave --index --run-root $(BUILD)/run -o $@ $(CHAPTERS)

# test: run the test suite (needs the book built: make test builds it first)
test: all-or-failed
	$(Q)BUILD=$(BUILD) tests/run

# The tests judge failed chapters themselves, so a failed chapter must not
# stop `make test` before they run.
all-or-failed: $(PAGES) $(BUILD)/html/index.html

# clean: remove everything generated
clean:
	rm -rf $(BUILD)

%/:
	$(Q)mkdir -p $@

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)

.PHONY: all tools test all-or-failed clean
.SECONDARY:
