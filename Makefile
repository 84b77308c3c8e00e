# SPDX-License-Identifier: GPL-2.0
#
# Usage: make [KERNEL=6.1|6.12|debug] [KDIR=DIR] [all|clean|lint|selftests|vm|demo|tour|figures|realfs|check|htmldocs]
#        make answers-template|grade LAB=N ..., make exercise|grade EX=NAME ...
#
#   all        toyslab.ko, for the VM's kernel or against the tree at KDIR
#   clean      remove what the build, the selftests and the VM made
#   lint       checkpatch --strict, sparse (C=2), a W=1 build, shellcheck
#   selftests  selftests/toyslab, built and installed the kselftest way
#   top        tools/toyslab-top, for the VM (make vm/demo/check build it)
#   vm         an interactive shell in the VM, toyslab loaded
#   demo       the tour: scripts/guest/demo.sh in the VM (LANG=zh_CN: in Chinese)
#   tour       the demo as one offline page, build/tour/index.html, with the
#              cache's picture before and after each step, checked in a
#              headless browser (make check does it too, without TESTS)
#   figures    the labs' cache snapshots, Documentation/figures/*.snap, recorded
#              in the VM (make htmldocs draws them)
#   realfs     the kernel's own fs/minix and fs/fat, unchanged, built on toyslab
#              through toyslab_dropin.h, under a file workload on a RAM disk
#              from two CPUs; then lib/'s slab test modules on both allocators
#   check      lint, build, then every selftest in the VM (TESTS=a_test,b_test:
#              only those), then, for KERNEL=6.1 without TESTS, compare
#              (COMPARE=0: never, COMPARE=1: always); before the selftests,
#              for KERNEL=6.1 without TESTS, make grade's own test (GRADE=)
#   check-debug  check on the debug kernel (KERNEL=debug: lockdep, KASAN,
#              kmemleak...) with 4 CPUs, then the KUnit suite there
#   kunit      kunit/toyslab_kunit.ko on the debug kernel
#   compare    toyslab beside the real SLAB, scenario by scenario
#              (SCENARIO=compare/scenarios/10-reap.scn: only that one;
#              SCENARIOS="a.scn b.scn": only those)
#   htmldocs   Documentation/ as HTML in build/htmldocs, its Chinese translation
#              in build/htmldocs/zh_CN (Sphinx, -W); TEACHER=1: the teacher's
#              build, with the answers, in build/htmldocs-teacher
#   answers-template  LAB=N [ANSWERS=FILE]: lab N's predictions, to fill in
#              (default build/grade/lab-NN-NAME.answers)
#   grade      LAB=N ANSWERS=FILE: replay lab N in the VM, grade the answers;
#              EX=NAME [DIR=DIR]: grade the student's tree of exercise NAME
#              (default build/exercise/NAME), by its selftests and scenarios
#   exercise   EX=NAME [DIR=DIR]: a copy of the tree with one function to
#              write (exercises/NAME.ex), in DIR (default build/exercise/NAME)
#   bench      toyslab against the kernel's kmem_cache: tables, CSV, chart in build/bench
#
# scripts/vm.sh lists the VM's knobs (CPUS, MEM, NODES, ...).

# The VM's kernel series; scripts/deps.sh maps it to Debian's packages.
KERNEL ?= 6.1

BUILD := $(CURDIR)/build
TREE := $(BUILD)/linux-$(KERNEL)
# The kernel-tree skeleton deps extracts, its selftests part copied per
# checkout: worktrees may share build/linux-*, not their test binaries.
KSFT_TREE := $(BUILD)/ksft-$(KERNEL)
KSFT := $(KSFT_TREE)/tools/testing/selftests

# Without KDIR, build against the headers of the VM's kernel: deps installs
# them and records their release before the recipe reads it.
ifeq ($(origin KDIR),undefined)
KDIR = $(BUILD)/kernel-$(KERNEL)/build
DEPS := deps
endif

all: $(DEPS)
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

deps:
	@scripts/deps.sh $(KERNEL)

# The downloaded kernel and the extracted kernel-tree files stay.  Kbuild's
# clean deletes every object file under M=, and the build cache is under
# it: its find skips build/, where the built kernels keep theirs.
kbuild_clean = $(MAKE) -C $(KDIR) M=$(1) clean \
	'RCS_FIND_IGNORE=\( -path $(BUILD) -o -name .git \) -prune -o'

clean:
	@if [ -d "$(KDIR)" ]; then $(call kbuild_clean,$(CURDIR)); \
		$(call kbuild_clean,$(CURDIR)/bench); fi
	rm -rf $(BUILD)/ksft-* $(BUILD)/kselftest \
		$(BUILD)/initramfs $(BUILD)/initramfs.cpio $(BUILD)/vm.log \
		$(BUILD)/toyslab-top $(BUILD)/realfs-*

lint: deps
	@scripts/lint.sh $(KDIR) $(TREE)

# Built as tools/testing/selftests/toyslab of the kernel-tree skeleton that
# deps extracts, and installed with run_kselftest.sh to build/kselftest.
selftests: deps
	@echo "  KSFT    selftests/toyslab -> build/kselftest"
	@[ -f $(KSFT)/lib.mk ] || { mkdir -p $(KSFT) && \
		ln -sfn $(TREE)/scripts $(KSFT_TREE)/scripts && \
		find $(TREE)/tools/testing/selftests -maxdepth 1 -mindepth 1 \
		! -name toyslab -exec cp -a {} $(KSFT)/ \; ; }
	@mkdir -p $(KSFT)/toyslab && cp -a selftests/toyslab/. $(KSFT)/toyslab/
	@rm -rf $(KSFT)/toyslab/docs $(BUILD)/kselftest/toyslab/docs
	@cp -a Documentation $(KSFT)/toyslab/docs
	@cp slab.c $(KSFT)/toyslab/docs/
	@$(MAKE) -s -C $(KSFT) TARGETS=toyslab KSFT_INSTALL_PATH=$(BUILD)/kselftest install >/dev/null

# Static, like the selftests: the VM has no C library.
top: $(BUILD)/toyslab-top

$(BUILD)/toyslab-top: tools/toyslab-top/toyslab-top.c
	@mkdir -p $(BUILD)
	@echo "  CC      $<"
	@$(CC) -static -O2 -Wall -Wextra -o $@ $<

# The kernel code of make realfs, for the VM's kernel: Debian has the
# source of 6.1 and 6.12 only, so the debug kernel and KDIR= go without.
# (DEPS is set where KDIR was not given: KDIR's own origin is "file" here.)
ifeq ($(DEPS)$(filter debug,$(KERNEL)),deps)
REALFS_BUILD := realfs-build
endif

realfs-build: all
	@scripts/realfs-build.sh $(KERNEL)

vm: all selftests top $(REALFS_BUILD)
	@KERNEL=$(KERNEL) scripts/vm.sh shell

# make demo LANG=zh_CN: the tour in Chinese (so does a zh_CN locale).
demo: all selftests top
	@KERNEL=$(KERNEL) TOUR_LANG=$(if $(filter zh_CN%,$(LANG)),zh_CN) scripts/vm.sh demo

# The demo again, booted with toyslab_tour=1 so that demo.sh dumps the
# cache's views before each step; its console becomes the page, which a
# headless Chromium then loads and screenshots step by step.
tour: all selftests
	@mkdir -p $(BUILD)/tour
	@KERNEL=$(KERNEL) APPEND="$(APPEND) toyslab_tour=1" scripts/vm.sh demo \
		> $(BUILD)/tour/vm.out || { cat $(BUILD)/tour/vm.out; exit 1; }
	@cp $(BUILD)/vm.log $(BUILD)/tour/console.log
	@scripts/tour.py $(BUILD)/tour/console.log $(BUILD)/tour/index.html
	@scripts/tour-test.py $(BUILD)/tour/index.html

figures: all selftests
	@KERNEL=$(KERNEL) scripts/record-figures.sh

realfs: all selftests realfs-build
	@KERNEL=$(KERNEL) scripts/vm.sh realfs

# make check also plays every scenario of compare/, the real SLAB beside
# toyslab.  Those boot their own 6.1 SLAB kernel whatever KERNEL says, so
# only the default KERNEL=6.1 check plays them: KERNEL=6.12 and debug would
# repeat the same run.  TESTS= asks for some selftests only, and skips them
# too.  COMPARE=1 plays them anyway, COMPARE=0 never.
ifeq ($(KERNEL)$(TESTS),6.1)
COMPARE ?= 1
endif
COMPARE ?= 0

# Without TESTS, make check on the default kernel builds and checks the
# tour page too, as it plays the comparison: on 6.12 the page would show
# the same figures again (TOUR=0: never, TOUR=1: always).
ifeq ($(KERNEL)$(TESTS),6.1)
TOUR ?= 1
endif
TOUR ?= 0

# And it grades a lab and an exercise end to end (scripts/grade-test.sh),
# which plays a scenario on the real SLAB too (GRADE=0: never, GRADE=1:
# always).
ifeq ($(KERNEL)$(TESTS),6.1)
GRADE ?= 1
endif
GRADE ?= 0

compare_cmd = scripts/deps.sh kbuild && compare/compare.sh

# Lint and build one after the other: both compile the same objects.  The
# comparison runs even when a selftest failed, so that one run shows all;
# the last two lines are its result and the test cases' count, and check
# fails if either failed.  compare.sh reads its knobs from the environment,
# where make puts the command line's variables too: make check's CPUS,
# MEM, NODES and TIMEOUT are for its own VM, and VARIANT is make compare's,
# so the comparison runs without them, as compare.sh's defaults say.
check:
	@$(MAKE) --no-print-directory lint
	@$(MAKE) --no-print-directory all selftests top $(REALFS_BUILD)
	@if [ "$(TOUR)" = 1 ]; then $(MAKE) --no-print-directory tour; fi
	@if [ "$(GRADE)" = 1 ]; then scripts/grade-test.sh; fi
	@KERNEL=$(KERNEL) TESTS=$(TESTS) scripts/vm.sh check; tests=$$? compare=; \
	if [ "$(COMPARE)" = 1 ]; then \
		(unset VARIANT CPUS MEM NODES TIMEOUT; $(compare_cmd)); \
		compare="$$? $(BUILD)/compare/result"; \
	fi; \
	scripts/summary.sh $$tests $(BUILD)/vm.log $$compare

# The debug kernel is Debian's 6.1 source: lint has nothing new to say.
# Its chaos_test runs long: lockdep and KASAN watch four CPUs for minutes.
check-debug:
	@$(MAKE) --no-print-directory KERNEL=debug all selftests top
	@KERNEL=debug CPUS=4 TESTS=$(TESTS) APPEND="TOYSLAB_CHAOS_SECONDS=240 $(APPEND)" \
		scripts/vm.sh check; scripts/summary.sh $$? $(BUILD)/vm.log
	@$(MAKE) --no-print-directory kunit

kunit:
	@scripts/deps.sh debug
	@kunit/kunit.sh

compare:
	@$(compare_cmd) $(SCENARIO) $(SCENARIOS)

# TEACHER=1: the teacher's build, answers included, in build/htmldocs-teacher.
htmldocs:
	@TEACHER=$(TEACHER) scripts/htmldocs.sh

bench: all selftests
	@KERNEL=$(KERNEL) scripts/bench.sh

# The teacher's kit (Documentation/teaching.rst).  Labs are played on the
# default kernel's VM, exercises compared with the 6.1 SLAB.
answers-template:
	@scripts/grade-lab.sh template "$(LAB)" $(ANSWERS)

exercise:
	@scripts/exercise.py make "$(EX)" "$(or $(DIR),build/exercise/$(EX))"

grade:
	@$(MAKE) --no-print-directory KERNEL=6.1 all selftests
ifneq ($(EX),)
	@scripts/grade-exercise.sh "$(EX)" "$(or $(DIR),build/exercise/$(EX))"
else
	@scripts/grade-lab.sh grade "$(LAB)" "$(ANSWERS)"
endif

.PHONY: all deps clean lint selftests top vm demo tour figures realfs realfs-build check check-debug kunit compare htmldocs bench
.PHONY: answers-template exercise grade
