#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Usage: scripts/apt-install.sh WHO PACKAGE...
#
# Installs with apt, without recommends, those of PACKAGE... that are not
# installed, saying "WHO: installing ..." first; does nothing, quickly, when
# all are there.  The one place the project's scripts install packages.
set -euo pipefail
who=$1
shift

missing=()
for pkg in "$@"; do
	[[ $(dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null) == ii* ]] ||
		missing+=("$pkg")
done
((${#missing[@]})) || exit 0
echo "$who: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
