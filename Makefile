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
LDLIBS_WIRE  = -lnetfilter_queue -lmnl

all:

# No built-in rules: every rule this build uses is written here, and without
# them make does not search a dozen implicit rules for each of the files it
# reads (every dependency file below), which made a no-op build slow.
MAKEFLAGS += --no-builtin-rules
.SUFFIXES:

ifeq ($(V),1)
Q =
else
Q = @
endif

# --- the tools ------------------------------------------------------------
# Each program links exactly the objects it uses, listed here (as musl's
# Makefile does), so that changing one module relinks only its users.
#   code/lib/      the shared C (allocation, strings, file names); includes
#                  nothing above it
#   tangle/model/  the chapter model: parsing, the claim syntax, expansion
#   tangle/        tangle.c, the tangle program
#   tangle/weave/  weave: pages, highlighting, the style sheet
#   code/run/      the harness: namespaces, programs, capture, sock_diag
#   code/print/    the packet printer (tcpdump -n lines)
#   code/check/    the claims checker
#   code/draw/     ladder diagrams
INCLUDES := -Icode/lib -Itangle/model -Itangle/weave -Icode/run -Icode/print -Icode/lab

LIB_OBJS    := code/lib/util.c
MODEL_OBJS  := tangle/model/chapter.c tangle/model/claims.c tangle/model/claimfile.c tangle/model/expand.c tangle/model/diag.c \
               code/run/wirespec.c
RENDER_OBJS := $(addprefix tangle/weave/render-,provenance.c anchors.c code.c output.c claims.c page.c appendix.c single.c print.c index.c kernels.c)
WEAVE_OBJS  := tangle/weave/weave.c tangle/weave/calltable.c tangle/weave/publish.c $(RENDER_OBJS) tangle/weave/html.c tangle/weave/highlight.c tangle/weave/css.c
PRINT_OBJS  := code/print/tcpprint.c
HARNESS_OBJS := code/run/harness.c code/run/init.c code/run/experiments.c code/run/sandbox.c \
                code/run/programs.c code/run/labserver.c code/run/capture.c code/run/timeline.c \
                code/run/runutil.c code/run/sockdiag.c code/run/settle.c code/run/normalise.c code/run/wire.c \
                code/run/wirespec.c $(PRINT_OBJS) $(LIB_OBJS)

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))

TOOLS := $(BUILD)/bin/tangle $(BUILD)/bin/weave $(BUILD)/bin/harness $(BUILD)/bin/pcap2txt $(BUILD)/bin/ladder $(BUILD)/bin/claims

# The Debian packages: installed when missing (as root), or named.
$(BUILD)/.deps: code/scripts/debian-packages code/scripts/check-deps.sh
	$(Q)code/scripts/check-deps.sh
	$(Q)mkdir -p $(BUILD) && touch $@

$(BUILD)/obj/%.o: %.c | $(BUILD)/.deps
	@echo "  CC      $<"
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(INCLUDES) $(WARN) $(CFLAGS) -c -o $@ $<

define link
	@echo "  LD      $@"
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(1)
endef

$(BUILD)/bin/tangle: $(call obj,tangle/tangle.c $(MODEL_OBJS) $(LIB_OBJS)) | $(BUILD)/bin/
	$(call link,$(LDLIBS_CMARK))
$(BUILD)/bin/weave: $(call obj,$(WEAVE_OBJS) $(MODEL_OBJS) $(LIB_OBJS)) | $(BUILD)/bin/
	$(call link,$(LDLIBS_CMARK))
$(BUILD)/bin/harness: $(call obj,$(HARNESS_OBJS)) | $(BUILD)/bin/
	$(call link,$(LDLIBS_PCAP) $(LDLIBS_WIRE) -lseccomp)
$(BUILD)/bin/pcap2txt: $(call obj,code/print/pcap2txt.c $(PRINT_OBJS)) | $(BUILD)/bin/
	$(call link,$(LDLIBS_PCAP))
$(BUILD)/bin/ladder: $(call obj,code/draw/ladder.c code/draw/diagram.c code/draw/svg.c $(LIB_OBJS)) | $(BUILD)/bin/
	$(call link,)
$(BUILD)/bin/claims: $(call obj,code/check/claims.c tangle/model/claims.c tangle/model/claimfile.c tangle/model/diag.c $(LIB_OBJS)) | $(BUILD)/bin/
	$(call link,-lm)

# tools: build the four programs only
tools: $(TOOLS)

# --- the book -----------------------------------------------------------------
# CHAPTER_DIR: where the chapters are (the bench and tests build copies).
# Only chapters with safe file names are built (code/scripts/chapters.sh says
# which); the others are named by the verdict, and the rest of the book builds.
CHAPTER_DIR ?= chapters
STEMS    := $(shell code/scripts/chapters.sh '$(CHAPTER_DIR)')
CHAPTERS := $(patsubst %,$(CHAPTER_DIR)/%.md,$(STEMS))
S        := $(BUILD)/stamp

# Everything a chapter's pages are made from.
chapter_done = $(foreach s,$(1),$(S)/$(s)/tangle $(S)/$(s)/run.out $(S)/$(s)/draw $(S)/$(s)/claims)
# Every step's file, named in an explicit rule (html's) so that make never
# takes one for an intermediate file: a deleted one is made again.
ALL_STEPS := $(foreach s,$(STEMS),$(addprefix $(S)/$(s)/,tangle cc run run.out draw claims))

# The flags a step depends on, each in a file rewritten only when it changes,
# so that changing them redoes exactly the steps they shape.
PROG_CFLAGS ?= -std=gnu11 -O1 -g -Wall -Wextra -D_GNU_SOURCE
define flags_file
ifneq ($$(file <$(BUILD)/flags/$(1)),$(2))
$$(shell mkdir -p $(BUILD)/flags)
$$(file >$(BUILD)/flags/$(1),$(2))
endif
endef
$(eval $(call flags_file,prog,$(CC) $(PROG_CFLAGS)))

# all: build the book (HTML in build/html/, build/book.pdf) and say which
# chapters failed, at which step and why (code/scripts/verdict.sh)
verdict = $(Q)BUILD=$(BUILD) code/scripts/verdict.sh '$(CHAPTER_DIR)' $(STEMS)
all: pages pdf
	$(verdict)

# html: the HTML pages only (one per chapter, the index, the single-page
# edition and the claims appendix), and the verdict
html: pages
	$(verdict)
pages: $(S)/site $(ALL_STEPS)

# One chapter's pipeline, a rule per step (code/scripts/step.sh does each
# and keeps its record: a stamp written last when the step is complete, or
# BUILD/errors/STEM/STEP saying why not). A failed step makes no stamp, so
# the next make redoes it; its recipe still succeeds, so that make goes on
# with the other chapters.
step = $(Q)BUILD=$(BUILD) MAKE="$(MAKE)" CC="$(CC)" PROG_CFLAGS="$(PROG_CFLAGS)" V="$(V)" HOST_FEATURES="$(HOST_FEATURES)" \
	code/scripts/step.sh $(1) '$*' '$(CHAPTER_DIR)/$*.md'

# The host's optional features (the wire's NFQUEUE, veth), probed by
# code/kernels/host-features.sh and kept in BUILD/kernels/host-features
# while the kernel, its boot, the user, PATH and the harness stay the same;
# the file changes only when the answer does, and then the experiments run
# again (the run step skips and marks those that need what is missing).
# The probe is a rule, so that it runs beside the first chapters' tangle
# and cc steps, not before make starts any, and only when a run step needs
# its answer. Whether the kept answer still holds make finds itself, with
# no process (a no-op make starts none for it): hf_key is the key the
# script writes (kernel release, boot id, effective user, the user
# namespace's uid map, PATH), read from
# /proc; a harness or script newer than the key file makes it stale too.
# The test hook TCPBOOK_HOST_FEATURES=FILE makes FILE the answer.
empty :=
space := $(empty) $(empty)
tab   := $(empty)	$(empty)
ifneq ($(TCPBOOK_HOST_FEATURES),)
HOST_FEATURES := $(wildcard $(TCPBOOK_HOST_FEATURES))
else
HOST_FEATURES := $(BUILD)/kernels/host-features
hf_euid := $(word 3,$(subst _, ,$(filter Uid:%,$(subst $(tab),_,$(subst $(space),_,$(file </proc/self/status))))))
hf_key  := $(file </proc/sys/kernel/osrelease) $(file </proc/sys/kernel/random/boot_id) $(hf_euid) $(strip $(file </proc/self/uid_map)) $(PATH)
ifneq ($(file <$(HOST_FEATURES).key),$(hf_key))
hf_stale := FORCE
endif
ifeq ($(wildcard $(HOST_FEATURES)),)
hf_stale := FORCE
endif
# The key removed first: the script then probes again, and writes it last.
$(HOST_FEATURES).key: $(BUILD)/bin/harness code/kernels/host-features.sh code/kernels/features $(hf_stale)
	$(Q)rm -f $@; BUILD=$(BUILD) code/kernels/host-features.sh >/dev/null 2>&1 || :
$(HOST_FEATURES): $(HOST_FEATURES).key ;
endif

# lab.h precompiled (GCC's precompiled header, BUILD/pch/lab.h.gch): every
# chapter program includes lab.h, and parsing it with the system headers it
# pulls in was a third of a program's compile. Made with the programs' own
# compiler and flags; the cc step puts its directory first on the include
# path (code/scripts/programs.mk), and GCC uses it where it is valid (lab.h
# included before any code, the same flags) and reads lab.h itself
# otherwise: a program compiles to the same code and the same messages
# either way. A compiler that cannot make one (clang knows no -fpch-deps)
# leaves an empty file, which the cc step takes for none.
PCH := $(BUILD)/pch/lab.h.gch
$(PCH): code/lab/lab.h code/lab/labproto.h $(BUILD)/flags/prog | $(BUILD)/pch/
	@echo "  PCH     $@"
	$(Q)$(CC) $(PROG_CFLAGS) -Icode/lab -fpch-deps -MMD -MF $@.d -x c-header -o $@.tmp code/lab/lab.h 2>/dev/null && \
	 mv -f $@.tmp $@ || { rm -f $@.tmp; : >$@; }

$(S)/%/tangle: $(CHAPTER_DIR)/%.md $(BUILD)/bin/tangle code/scripts/step.sh
	$(call step,tangle)
$(S)/%/cc: $(S)/%/tangle code/lab/lab.h code/scripts/programs.mk $(BUILD)/flags/prog code/scripts/step.sh $(PCH)
	$(call step,cc)
$(S)/%/run: $(S)/%/cc $(BUILD)/bin/harness code/lab/lab.h code/scripts/step.sh $(HOST_FEATURES)
	$(call step,run)
# run.out changes only when the run step put new results in place: a run
# skipped because nothing it depends on changed redoes no later step.
$(S)/%/run.out: $(S)/%/run ;
$(S)/%/draw: $(S)/%/run.out $(BUILD)/bin/ladder code/scripts/step.sh
	$(call step,draw)
$(S)/%/claims: $(S)/%/run.out $(S)/%/tangle $(BUILD)/bin/claims code/scripts/step.sh
	$(call step,claims)

# The order make starts the steps in, for a whole build: chapter N+2 is
# tangled only once chapter N is compiled (an order-only prerequisite: it
# changes nothing of what is redone). Without it make, with -j2, tangles and
# compiles every chapter before it runs the first, and the runs, which
# mostly wait on the kernel's timers, run with the processors idle; with
# it, a chapter's run goes on beside another chapter's compiler, as in a
# pipeline. Not when the goals are steps of their own (make chapter).
ifeq ($(filter $(S)/%,$(MAKECMDGOALS)),)
chain = $(if $(word 3,$(1)),$(eval $(S)/$(word 3,$(1))/tangle: | $(S)/$(word 1,$(1))/cc)$(call chain,$(wordlist 2,$(words $(1)),$(1))))
$(call chain,$(STEMS))
endif

# A step one of whose files is gone (deleted by hand) is done again: each
# step lists the files it made in BUILD/stamp/STEM/STEP.files, written
# before its stamp, and here every listed file must exist (make reads the
# lists itself: no process). The run step then runs the experiments again
# only if one of its results is gone (code/scripts/step.sh).
# ($(strip): make's wildcard takes the names a line each as one name.)
define step_outputs
$(S)/$(1)/$(2): $$(if $$(call gone,$$(strip $$(file <$(S)/$(1)/$(2).files))),FORCE)
endef
gone = $(filter-out $(wildcard $(1)),$(1))
$(foreach s,$(STEMS),$(foreach t,tangle cc run draw claims,$(eval $(call step_outputs,$(s),$(t)))))


# The chapters of this build, in a file rewritten (when make reads this
# Makefile) only when the list changes: the site depends on it, so that an
# added, removed or renamed chapter re-weaves its neighbours' links. A
# chapter no longer listed leaves nothing behind: code/scripts/prune.sh
# removes its directories under BUILD, weave --site its pages and files.
ifneq ($(file <$(S)/chapters),$(STEMS))
$(shell mkdir -p $(S) && code/scripts/prune.sh '$(BUILD)' $(STEMS))
$(file >$(S)/chapters,$(STEMS))
endif

PRINT_PARTS := $(BUILD)/print/front.html $(patsubst %,$(BUILD)/print/%.html,$(STEMS)) $(BUILD)/print/back.html

# weave embeds tangle/weave/book.css (.incbin in css.c); -MMD cannot see that.
$(BUILD)/obj/tangle/weave/css.o: tangle/weave/book.css

# The whole site in one run of weave (weave --site): every chapter's page
# with its neighbours' links, the index, the single page, the claims
# appendix, the call table (BUILD/run/calls.tsv), the print parts, and under
# BUILD/html/run/ and tangle/ every file the pages link, so that BUILD/html/
# is the site on its own. Each file is written only when it changes (weave
# says which); a stamp records that the site was made.
# A page or part that is missing (deleted by hand) makes the site again.
SITE_FILES := $(patsubst %,$(BUILD)/html/%.html,$(STEMS) index book claims) $(PRINT_PARTS)
SITE_MISSING := $(filter-out $(wildcard $(SITE_FILES)),$(SITE_FILES))
$(S)/site: $(CHAPTERS) $(call chapter_done,$(STEMS)) $(BUILD)/bin/weave $(S)/chapters $(if $(SITE_MISSING),FORCE) | $(S)/
	$(Q)$(if $(Q),,echo '$(BUILD)/bin/weave --site $(BUILD) $(CHAPTERS)';) \
	 $(BUILD)/bin/weave --site $(BUILD) $(CHAPTERS)
	$(Q)touch $@
$(S)/chapters: ;

# pdf: the whole book as one PDF, build/book.pdf (and a link to it in
# build/html/). weave --site writes the book in parts (title page and
# contents, one per chapter, claims appendix and colophon), each only when
# it changed; code/pdf/pdfbook.py renders the parts that changed with
# WeasyPrint, in parallel, and joins them with the book's page numbers,
# contents, bookmarks and links (see its header).
pdf: $(BUILD)/book.pdf $(BUILD)/html/book.pdf

$(BUILD)/book.pdf: $(S)/site code/pdf/pdfbook.py
	@echo "  PDF     $@"
	$(Q)code/pdf/pdfbook.py -o $@ $(PRINT_PARTS)
# (already the same file, a hard link, when pdfbook.py found the book up to
# date and only touched it: mv refuses to rename a link onto its twin)
$(BUILD)/html/book.pdf: $(BUILD)/book.pdf $(S)/site
	$(Q)if [ ! $@ -ef $< ]; then { ln -f $< $@.tmp 2>/dev/null || cp $< $@.tmp; } && mv -f $@.tmp $@; fi

# test: run the test suite (needs the book built: make test builds it first,
# and every tool, pcap2txt too, which the book itself does not use)
test: all-or-failed tools
	$(Q)BUILD=$(BUILD) tests/run

# The tests judge failed chapters themselves, so a failed chapter must not
# stop `make test` before they run.
all-or-failed: pages pdf

# new: start a chapter from the template, e.g. make new NAME=keepalive
new:
	$(Q)code/scripts/new-chapter.sh "$(CHAPTER_DIR)" "$(NAME)"

# chapter: build one chapter alone, print its claims' verdicts and open it,
# e.g. make chapter CH=05 (the site is woven again with the other chapters
# as they are); RUNS=20 also runs it 20 more times and checks that every
# run observes the same and every claim holds (code/check/determinism.sh)
chapter: $(BUILD)/bin/weave
	$(Q)f=$$(ls $(CHAPTER_DIR)/$(CH)*.md 2>/dev/null | head -n 1); \
	 if [ -z "$(CH)" ] || [ -z "$$f" ]; then echo "usage: make chapter CH=NN (no chapter '$(CHAPTER_DIR)/$(CH)*.md')" >&2; exit 2; fi; \
	 stem=$$(basename "$$f" .md); \
	 case " $(STEMS) " in *" $$stem "*) ;; *) BUILD=$(BUILD) code/scripts/verdict.sh '$(CHAPTER_DIR)'; exit 2 ;; esac; \
	 $(MAKE) --no-print-directory -s $(foreach t,tangle cc run draw claims,'$(S)/'"$$stem"'/$(t)') || exit 1; \
	 $(BUILD)/bin/weave --site $(BUILD) $(CHAPTERS) >/dev/null || exit 1; \
	 BUILD=$(BUILD) ALL_CLAIMS=1 code/scripts/verdict.sh '$(CHAPTER_DIR)' $$stem; rc=$$?; \
	 if [ -n "$(RUNS)" ] && [ $$rc -eq 0 ]; then BUILD=$(BUILD) code/check/determinism.sh "$$f" "$(RUNS)" || rc=1; fi; \
	 echo "$(BUILD)/html/$$stem.html"; \
	 if [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ] && command -v xdg-open >/dev/null; then xdg-open "$(BUILD)/html/$$stem.html"; fi; \
	 exit $$rc

# soak: the whole book's experiments run SOAK_RUNS times (default 100), each
# run's observations and call table compared with the first's; not in CI
# (on 2 cores about 83 s a run; `make -j4 soak`, four chapters at once,
# about 20 s). SOAK_LOAD=2 keeps both cores busy meanwhile.
soak: tools
	$(Q)BUILD=$(BUILD) MAKE="$(MAKE)" code/scripts/soak.sh $(SOAK_RUNS)

# bench: time the build, the harness and tangle (figures only, no verdict)
bench: tools
	$(Q)BUILD=$(BUILD) MAKE="$(MAKE)" code/scripts/bench.sh

# --- the book on other kernels (code/kernels/) ------------------------------
# KERNELS is the matrix: "host" is the running kernel; 5.10, 6.1, 6.12 and
# 7.x are the newest Debian cloud kernels of those series (Debian 11, 12,
# 13 and unstable), fetched with apt-get download through a private apt
# configuration in $(BUILD)/kernels/apt and booted in qemu
# (code/kernels/run-kernel.sh).
KERNELS ?= host 5.10 6.1 6.12 7.x

# `make KERNEL=6.1` is `make kernel KERNEL=6.1`; KERNEL may also be the
# path of a bzImage (with KERNEL_MODULES=its lib/modules/RELEASE or .deb)
# or of a kernel .deb.
ifneq ($(KERNEL),)
.DEFAULT_GOAL := kernel
endif

# drift: what changed between kernels, by cause (code/kernels/drift.h)
$(BUILD)/bin/drift: $(call obj,code/kernels/drift.c code/kernels/drift-main.c $(LIB_OBJS)) | $(BUILD)/bin/
	$(call link,)

# Once a matrix has run, the site has kernels.html and each chapter's page
# its claims on each kernel (weave --site reads $(BUILD)/kernels).
$(S)/site: $(wildcard $(BUILD)/kernels/matrix)
# the suite tests/kernels.sh runs drift
test: $(BUILD)/bin/drift

# kernel: every experiment again on KERNEL, e.g. make kernel KERNEL=6.1
# (5.10, 6.1, 6.12, 7.x, host, a Debian release, or a path); results in
# $(BUILD)/kernels/LABEL/run/. CH="13 16" runs only those chapters; RUNS=20
# runs each 20 times in the same boot and checks that they hold still
# (code/kernels/run-kernel.sh, KERNELS_RUNS)
kernel: all-or-failed
	$(Q)if [ -z "$(KERNEL)" ]; then echo "usage: make kernel KERNEL=6.1 (or 5.10, 6.12, 7.x, host, a Debian release such as 6.1.0-56-cloud-amd64, or path/to/bzImage)" >&2; exit 2; fi
	$(Q)BUILD=$(BUILD) KERNEL_MODULES="$(KERNEL_MODULES)" KERNEL_CONFIG="$(KERNEL_CONFIG)" \
	 KERNELS_RUNS="$(or $(RUNS),$(KERNELS_RUNS),1)" KERNELS_CHAPTERS="$(or $(CH),$(KERNELS_CHAPTERS))" code/kernels/run-kernel.sh $(KERNEL)

# matrix: every experiment on each of KERNELS, compared by cause in
# $(BUILD)/kernels/compare.txt and $(BUILD)/html/kernels.html ("What
# changed between kernels"); every chapter page then shows its claims on
# each kernel
matrix: all-or-failed $(BUILD)/bin/drift
	$(Q)BUILD=$(BUILD) KERNEL_MODULES="$(KERNEL_MODULES)" KERNEL_CONFIG="$(KERNEL_CONFIG)" code/kernels/matrix.sh $(KERNELS); rc=$$?; \
	 $(BUILD)/bin/weave --site $(BUILD) $(CHAPTERS); exit $$rc

# bench-kernels: the figures of a full matrix run (target: 120 s)
bench-kernels: all-or-failed $(BUILD)/bin/drift
	$(Q)BUILD=$(BUILD) code/kernels/bench.sh $(KERNELS)

.PHONY: kernel matrix bench-kernels

# asan: the tools built with AddressSanitizer and UBSan in $(BUILD)/asan,
# and the test suites that exercise them
SANITIZE = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
asan:
	$(Q)$(MAKE) --no-print-directory BUILD=$(BUILD)/asan CFLAGS="$(SANITIZE)" tools
	$(Q)BUILD=$(BUILD)/asan tests/run tangle weave printer claims harness

# --- the fuzz target (tests/fuzz/) --------------------------------------------
# fuzz: tests/fuzz/fuzz_chapter.c, a libFuzzer target for the chapter model,
# tangle's expander and weave's page renderer, built with clang, ASan and
# UBSan as $(BUILD)/fuzz/fuzz_chapter (its own objects, in $(BUILD)/fuzz/obj;
# clang does not know gcc's -Wno-format-truncation, hence -Wno-unknown-warning-option).
# tests/fuzz.sh runs it for a few seconds; run it longer by hand (see
# the target's header). Needs clang and Debian's libclang-rt-14-dev.
# FUZZ_DIR is absolute, so that the objects' dependency files name the
# same targets however BUILD was spelt (tests/run gives an absolute one).
FUZZ_DIR     = $(abspath $(BUILD))/fuzz
FUZZ_CC     ?= clang
FUZZ_CFLAGS  = -g -O1 -fno-omit-frame-pointer -fno-sanitize-recover=all
FUZZ_SAN     = address,undefined
FUZZ_OBJS   := tests/fuzz/fuzz_chapter.c $(MODEL_OBJS) \
               $(addprefix tangle/weave/render-,provenance.c anchors.c code.c output.c claims.c page.c kernels.c) tangle/weave/publish.c \
               tangle/weave/html.c tangle/weave/highlight.c tangle/weave/css.c $(LIB_OBJS)
fuzzobj = $(patsubst %.c,$(FUZZ_DIR)/obj/%.o,$(1))

$(FUZZ_DIR)/obj/%.o: %.c
	@echo "  FUZZCC  $<"
	$(Q)mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(CPPFLAGS) $(INCLUDES) $(WARN) -Wno-unknown-warning-option $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link,$(FUZZ_SAN) -c -o $@ $<
$(FUZZ_DIR)/obj/tangle/weave/css.o: tangle/weave/book.css

$(FUZZ_DIR)/fuzz_chapter: $(call fuzzobj,$(FUZZ_OBJS))
	@echo "  LD      $@"
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer,$(FUZZ_SAN) -o $@ $^ $(LDLIBS_CMARK)

fuzz: $(FUZZ_DIR)/fuzz_chapter

-include $(wildcard $(addprefix $(FUZZ_DIR)/obj/,*.d */*.d */*/*.d */*/*/*.d))
.PHONY: fuzz

# clean: remove everything generated
clean:
	rm -rf $(BUILD)

%/:
	$(Q)mkdir -p $@

# The compiler's dependency files (a glob, not a find: no process), as deep
# as the sources go (build/obj/code/run/harness.d)
-include $(wildcard $(addprefix $(BUILD)/obj/,*.d */*.d */*/*.d */*/*/*.d))

FORCE:
.PHONY: all html pages pdf tools FORCE soak test all-or-failed clean new chapter bench asan
# A recipe that fails leaves no target that looks complete.
.DELETE_ON_ERROR:
