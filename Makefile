# SPDX-License-Identifier: GPL-2.0
#
# Usage: make [KERNEL=6.1|6.12] [KDIR=DIR] [all|clean]
#
#   all        toyslab.ko, for the VM's kernel or against the tree at KDIR
#   clean      remove what the build made

# The VM's kernel series; scripts/deps.sh maps it to Debian's packages.
KERNEL ?= 6.1

BUILD := $(CURDIR)/build

# Without KDIR, build against the headers of the VM's kernel: deps installs
# them and records their release before the recipe reads it.
ifeq ($(origin KDIR),undefined)
KDIR = /lib/modules/$(shell cat $(BUILD)/kernel-$(KERNEL)/release)/build
DEPS := deps
endif

all: $(DEPS)
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

deps:
	@scripts/deps.sh $(KERNEL)

# The downloaded kernel and the extracted kernel-tree files stay.
clean:
	@if [ -d "$(KDIR)" ]; then $(MAKE) -C $(KDIR) M=$(CURDIR) clean; fi

.PHONY: all deps clean
