# code/scripts/programs.mk: compiles the programs tangled from one chapter.
# Called by the cc step (code/scripts/step.sh) as
#   make -f code/scripts/programs.mk T=DIR P=DIR CC=... PROG_CFLAGS=... FLAGS=FILE [PCH=DIR] [V=1]
# FLAGS is the file that holds CC and PROG_CFLAGS (rewritten by the Makefile
# when they change), so that other flags recompile every program.
# Each top-level *.c under T is one program P/NAME; code/lab/ is on the
# include path for lab.h. PCH, a directory holding lab.h.gch (lab.h
# precompiled by the Makefile with the same CC and PROG_CFLAGS), goes before
# it: GCC uses the precompiled header where it is valid and lab.h where it
# is not, and -fpch-deps keeps lab.h in the programs' dependency files.
# A failed compile leaves its messages in P/NAME.err; the program is written under a temporary name and renamed
# only when the compiler succeeded. One shell per program, and no process
# in it but the compiler's and the rename where nothing else is needed.
#
# Names reach the shell only single-quoted (q below), so that no file name
# is ever parsed as shell; tangle allows only a safe set of names anyway.

CC      ?= cc
PROG_CFLAGS ?= -std=gnu11 -O1 -g -Wall -Wextra -D_GNU_SOURCE

SRCS  := $(wildcard $(T)/*.c)
PROGS := $(patsubst $(T)/%.c,$(P)/%,$(SRCS))

q = '$(subst ','\'',$(1))'

pch = $(if $(PCH),-I$(call q,$(PCH)) -fpch-deps)

ifeq ($(V),1)
show = printf '%s\n' $(call q,$(1)) >&2;
endif

all: $(PROGS)

$(P)/%: $(T)/%.c $(FLAGS) | $(P)/
	@echo "  CC      "$(call q,$<); [ ! -e $(call q,$@.err) ] || rm -f $(call q,$@.err); \
	 $(call show,$(CC) $(PROG_CFLAGS) -I$(T) $(if $(PCH),-I$(PCH) -fpch-deps) -Icode/lab -MMD -MP -MT $@ -MF $@.d -o $@.tmp $<) \
	 $(CC) $(PROG_CFLAGS) -I$(call q,$(T)) $(pch) -Icode/lab -MMD -MP -MT $(call q,$@) -MF $(call q,$@.d) \
	   -o $(call q,$@.tmp) $(call q,$<) 2>$(call q,$@.log); rc=$$?; \
	 [ ! -s $(call q,$@.log) ] || cat $(call q,$@.log) >&2; \
	 if [ $$rc -ne 0 ]; then mv $(call q,$@.log) $(call q,$@.err); rm -f $(call q,$@.tmp); exit 1; fi; \
	 rm -f $(call q,$@.log) && mv $(call q,$@.tmp) $(call q,$@)

$(P)/:
	@mkdir -p $(call q,$@)

-include $(wildcard $(P)/*.d)

.PHONY: all
.DELETE_ON_ERROR:
