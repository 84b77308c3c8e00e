#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Usage: scripts/abis.sh
#
# Prints, oldest first, every 6.1 ABI (6.1.0-N) of Debian 12 whose kernel
# the apt lists offer, after refreshing them: the point release's, the
# security suite's, whatever else the machine's sources carry.  Each is
# a KERNEL= value for make, e.g. make KERNEL=6.1.0-N check.
set -euo pipefail

apt-get update -qq
# Each version of the metapackage depends on its own ABI's image.
apt-cache show linux-image-amd64 |
	sed -n 's/^Depends: linux-image-\(6\.1\.0-[0-9]*\)-amd64.*/\1/p' |
	sort -t- -k2,2n -u
