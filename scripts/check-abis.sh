#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Usage: scripts/check-abis.sh [TESTS]
#
# make check on every Debian 12 6.1 ABI the apt lists offer (scripts/abis.sh)
# but the one KERNEL=6.1 already uses: for each, lint (W=1 and sparse
# against its headers), the build, and a VM booting its image that runs the
# selftests TESTS (comma-separated; default module_test,refill_test: load,
# allocate, unload).  A 6.1 stable release older than the security suite's
# lacks what later ones brought; this is where compat.h's answers are tried.
# Fails if any ABI fails, after trying them all.
set -euo pipefail
cd "$(dirname "$0")/.."
tests=${1:-module_test,refill_test}

scripts/deps.sh 6.1
current=$(cat build/kernel-6.1/release)
status=0
for abi in $(scripts/abis.sh); do
	if [[ $abi-amd64 == "$current" ]]; then
		echo "check-abis: $abi is KERNEL=6.1's, which make check covers"
		continue
	fi
	echo "check-abis: KERNEL=$abi check TESTS=$tests"
	make --no-print-directory KERNEL="$abi" TESTS="$tests" check || status=1
done
exit $status
