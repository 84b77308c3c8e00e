# SPDX-License-Identifier: GPL-2.0
KDIR ?= /lib/modules/6.1.0-56-amd64/build
all:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules
clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
