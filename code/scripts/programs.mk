# code/scripts/programs.mk: compiles the programs tangled from one chapter.
# Called by code/scripts/build-chapter.sh as: make -f code/scripts/programs.mk T=DIR P=DIR
# Each top-level *.c under T is one program P/NAME; code/ is on the include
# path for lab.h. A failed compile leaves its messages in P/NAME.err.

CC      ?= cc
PROG_CFLAGS ?= -std=gnu11 -O1 -g -Wall -Wextra -D_GNU_SOURCE

SRCS  := $(wildcard $(T)/*.c)
PROGS := $(patsubst $(T)/%.c,$(P)/%,$(SRCS))

all: $(PROGS)

$(P)/%: $(T)/%.c | $(P)/
	@echo "  CC      $<"
	@rm -f $@.err
	@$(CC) $(PROG_CFLAGS) -I$(T) -Icode/lab -MMD -MP -MT $@ -MF $@.d -o $@.tmp $< 2>$@.log; rc=$$?; \
	 cat $@.log >&2; \
	 if [ $$rc -ne 0 ]; then mv $@.log $@.err; rm -f $@.tmp; exit 1; fi; \
	 rm -f $@.log; mv $@.tmp $@

$(P)/:
	@mkdir -p $@

-include $(wildcard $(P)/*.d)

.PHONY: all
