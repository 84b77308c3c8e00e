#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Usage: scripts/bench.sh - make bench: toyslab against the kernel's own
# kmem_cache (Documentation/benchmark.rst).  Before: make all selftests
# (make bench does).
#
# Builds bench/toyslab_bench.ko and a toyslab without trace events
# (-DNOTRACE), then boots the VM five times, scripts/guest/bench.sh in
# each, all with slab_nomerge so that the kernel's caches stay their own:
#
#   headline  init_on_alloc=0: neither allocator zeroes objects
#   stock     Debian's default, init_on_alloc=1: both zero them
#
# each under -icount shift=0 (instructions, the headline figures) and
# under plain TCG (host cycles, the median of 5), and the headline icount
# run twice, to compare the two.  On 6.1 a sixth boot runs the same
# workloads on make compare's kernel, the real SLAB of 6.1
# (build/kernel/slab-stats: its statistics on, as toyslab's always are,
# and no periodic reaper, toyslab's stopped too), with a toyslab and a
# bench built for that kernel: the headline configuration under icount
# only.  Leaves in build/bench/:
#
#   bench-KERNEL.csv   every figure (release,config,clock,workload,size,
#                      param,metric,toyslab,kernel,ratio); the real
#                      SLAB's rows have that kernel's release
#   bench-KERNEL.txt   the tables printed at the end
#   bench-KERNEL.png   the chart of the ratios (bench/plot.gp)
#   KERNEL-RUN.console what each boot printed, KERNEL-RUN.csv its figures
#
#   KERNEL=      the VM's kernel series; default the Makefile's
#   CPUS=2       vCPUs (remote needs two)
#   BENCH=quick  for iterating on the paths: one boot of the headline
#                icount configuration, and on 6.1 the real SLAB's boot if
#                build/kernel/slab-stats is built already (it is not
#                built here); the single-CPU run alone (pair, batch,
#                memory), and the table, without the second icount boot's
#                comparison or the chart: in quick-KERNEL.csv and .txt
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD

export KERNEL=${KERNEL:-$(sed -n 's/^KERNEL ?= *//p' Makefile)}
out=build/bench
kdir=build/kernel-$KERNEL/build
release=$(cat "build/kernel-$KERNEL/release")
start=$SECONDS
quick=
case ${BENCH:-} in
'') ;;
quick) quick=1 ;;
*) echo "bench: BENCH=$BENCH: only BENCH=quick is known" >&2; exit 2 ;;
esac

# The chart's gnuplot, from Debian (quick when it is there).
[[ -n $quick ]] || scripts/apt-install.sh bench gnuplot-nox

mkdir -p "$out"
build() {
	make -s -C "$kdir" "$@" modules > "$out/build.log" 2>&1 ||
		{ cat "$out/build.log" >&2; exit 1; }
}
# toyslab_to DIR [KCFLAGS]: toyslab's sources built in DIR, against $kdir.
toyslab_to() {
	echo "  CC [M]  $1/toyslab.ko${2:+ ($2)}"
	rm -rf "$1"
	mkdir -p "$1"
	cp Kbuild ./*.c ./*.h "$1/"
	build M="$top/$1" ${2:+KCFLAGS=$2}
}

echo "  CC [M]  bench/toyslab_bench.ko"
# From scratch: a toyslab rebuilt with another struct layout exports its
# API under other symbol versions, which a kept object would not import.
make -s -C "$kdir" M="$top/bench" clean > /dev/null 2>&1 || true
build M="$top/bench" KBUILD_EXTRA_SYMBOLS="$top/Module.symvers"
# The same sources, with every tracepoint compiled out.
notrace=$out/notrace-$KERNEL
toyslab_to "$notrace" -DNOTRACE

guest=$out/guest
rm -rf "$guest"
mkdir -p "$guest"
cp bench/toyslab_bench.ko "$guest/"
cp "$notrace/toyslab.ko" "$guest/toyslab-notrace.ko"

# On 6.1, everything again for the real SLAB's kernel, in $out/slab/.
slab=
if [[ $KERNEL == 6.1 && -z $quick ]]; then
	slab="slab-stats"
	scripts/deps.sh kbuild
	scripts/build-kernel.sh "$slab"
elif [[ $KERNEL == 6.1 && -e build/kernel/slab-stats/arch/x86/boot/bzImage ]]; then
	slab="slab-stats"
fi
if [[ -n $slab ]]; then
	kdir=build/kernel/$slab
	toyslab_to "$out/slab/toyslab"
	toyslab_to "$out/slab/notrace" -DNOTRACE
	rm -rf "$out/slab/bench"
	mkdir -p "$out/slab/bench"
	cp bench/Kbuild bench/toyslab_bench.c toyslab.h "$out/slab/bench/"
	echo "  CC [M]  $out/slab/bench/toyslab_bench.ko"
	build M="$top/$out/slab/bench" KBUILD_EXTRA_SYMBOLS="$top/$out/slab/toyslab/Module.symvers"
	mkdir -p "$out/slab/guest"
	cp "$out/slab/bench/toyslab_bench.ko" "$out/slab/guest/"
	cp "$out/slab/notrace/toyslab.ko" "$out/slab/guest/toyslab-notrace.ko"
fi

# The module's lines (and the guest script's) as CSV rows, with the runs
# of the pair that the guest script repeats relabelled as trace rows.
rows() {
	sed -n 's/^\(\[[^]]*\] \)\{0,1\}toyslab_bench: //p' "$1" | awk -F, -v OFS=, '
		/^run=/ { run = substr($0, 5); next }
		NF != 7 || $1 == "workload" { next }
		run == "single" && $1 == "pair" && $2 == 64 { print; $1 = "trace"; $3 = "off" }
		run == "trace" { $1 = "trace"; $3 = "on" }
		run == "notrace" { $1 = "trace"; $3 = "notrace" }
		{ print }'
}

# boot LABEL ICOUNT APPEND: the VM once; what it prints in $out/KERNEL-LABEL.console.
# A label ending in -slab boots the real SLAB's kernel.
boot() {
	local vm=(EXTRA="$guest")
	if [[ $1 == *-slab ]]; then
		# One CPU: under QEMU 7.2's icount this allnoconfig kernel
		# never brings a second one up, at boot or later.
		vm=(EXTRA="$out/slab/guest" VMKERNEL="$slab" KO="$out/slab/toyslab/toyslab.ko" CPUS=1)
	fi
	env ICOUNT="$2" APPEND="$3" "${vm[@]}" scripts/vm.sh bench | tee "$out/$KERNEL-$1.console"
}

# run LABEL ICOUNT APPEND [PARAMS]: one boot, PARAMS (colon-separated)
# for the module; its figures in $out/KERNEL-LABEL.csv.  A failed icount
# boot is kept in $out/KERNEL-LABEL.failed.log and tried once more.
run() {
	local label=$1 icount=$2 append=$3 params=${4:+:$4} clock=tsc reps=5
	if ((icount)); then
		# Deterministic: one measured repetition says it all.
		clock=icount reps=1
	fi
	append+=" bench_clock=$clock bench_params=reps=$reps$params"
	echo "bench: $label: $append"
	if ! boot "$label" "$icount" "$append"; then
		# QEMU 7.2's -icount was seen to corrupt EFLAGS, rarely, and
		# crash the guest (scripts/guest/bench.sh): one more boot.
		((icount)) || exit 1
		cp build/vm.log "$out/$KERNEL-$label.failed.log"
		echo "bench: $label failed, console in $out/$KERNEL-$label.failed.log; once more"
		boot "$label" "$icount" "$append" || exit 1
	fi
	rows "$out/$KERNEL-$label.console" > "$out/$KERNEL-$label.csv"
	[[ -s $out/$KERNEL-$label.csv ]] || { echo "bench: $label printed no figures" >&2; exit 1; }
}

# Zeroing is a rep stosb, one instruction (and a TCG helper call) per
# byte: the stock configuration runs a tenth of the pairs and a fifth of
# the batch objects, or it would take an hour.
headline="slab_nomerge init_on_alloc=0"
stock="slab_nomerge"
stock_params="pairs=100000:batch_objs=20000"
labels=(headline-icount stock-icount headline-tsc stock-tsc)
if [[ -n $quick ]]; then
	# The guest's single-CPU run only (scripts/guest/bench.sh).
	headline+=" bench_runs=single"
	labels=(headline-icount)
fi
run headline-icount 1 "$headline"
if [[ -z $quick ]]; then
	run headline-icount-2 1 "$headline"
	run stock-icount 1 "$stock" "$stock_params"
	run headline-tsc 0 "$headline"
	run stock-tsc 0 "$stock" "$stock_params"
fi
[[ -z $slab ]] || run headline-icount-slab 1 "$headline"

name=bench
[[ -z $quick ]] || name=quick
csv=$out/$name-$KERNEL.csv
echo "release,config,clock,workload,size,param,metric,toyslab,kernel,ratio" > "$csv"
for label in "${labels[@]}"; do
	config=${label%-*} clock=${label##*-}
	sed "s/^/$release,$config,$clock,/" "$out/$KERNEL-$label.csv" >> "$csv"
done
if [[ -n $slab ]]; then
	sed "s/^/$(cat "build/kernel/$slab/release"),headline,icount,/" \
		"$out/$KERNEL-headline-icount-slab.csv" >> "$csv"
fi

# Two icount runs: the same figures, row by row, column by column?
same=
[[ -n $quick ]] || same=$(paste -d, "$out/$KERNEL-headline-icount.csv" "$out/$KERNEL-headline-icount-2.csv" |
	awk -F, '
		function off(a, b) { d = (a > b ? a - b : b - a) / b * 100; if (d > max) max = d }
		{ n++; toy += $5 == $12; kern += $6 == $13 }
		$5 == $12 && $6 == $13 { same++; next }
		{ off($5, $12); off($6, $13)
		  diff = diff sprintf("\n  %s,%s,%s,%s: %s %s / %s %s", $1, $2, $3, $4, $5, $6, $12, $13) }
		END {
			printf "icount, two boots: %d of %d rows identical (toyslab %d, kernel %d)", same, n, toy, kern
			if (same < n) printf "; the others differ by at most %.2f %% (boot 1 / boot 2, toyslab kernel):%s", max, diff
			print ""
		}')

{
	echo
	awk -F, -v release="$release" -f bench/table.awk "$csv"
	[[ -z $same ]] || printf '\n%s\n' "$same"
} | tee "$out/$name-$KERNEL.txt"

if [[ -n $quick ]]; then
	echo "bench: $csv, $out/$name-$KERNEL.txt ($(((SECONDS - start) / 60)) min)"
	exit 0
fi
slabrel=
[[ -z $slab ]] || slabrel=$(cat "build/kernel/$slab/release")
gnuplot -e "csv='$csv'; png='$out/bench-$KERNEL.png'; release='$release'; slabrel='$slabrel'" bench/plot.gp
echo "bench: $csv, $out/bench-$KERNEL.txt, $out/bench-$KERNEL.png ($(((SECONDS - start) / 60)) min)"
