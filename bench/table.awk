# SPDX-License-Identifier: GPL-2.0
#
# Usage: awk -F, -v release=RELEASE -f bench/table.awk build/bench/bench-KERNEL.csv
#
# The tables of make bench, from its CSV: one per configuration, icount
# (instructions) beside TCG (cycles), then the targets of
# Documentation/benchmark.rst, read from the headline icount figures.
# Rows of another release than RELEASE are the real SLAB's boot (on 6.1):
# the headline table shows them between the two, toyslab / real SLAB.
# One row per measurement: per alloc+free
# pair (pair, cpus, trace), per object allocated and freed (batch,
# remote: the CSV also has the two apart), pages (memory).

NR == 1 { next }

# The real SLAB's rows: a configuration of their own, "slab".
$1 != release {
	slabrel = $1
	$2 = "slab"
}

{
	key = $4 SUBSEP $5 SUBSEP $6 SUBSEP $7
	t[$2, $3, key] = $8
	k[$2, $3, key] = $9
	r[$2, $3, key] = $10
	if (!((key) in seen)) {
		seen[key] = 1
		w = rank($4)
		order[w, ++nkeys[w]] = key
	}
	if (!(($2) in cfgseen)) {
		cfgseen[$2] = 1
		if ($2 != "slab")
			cfg[++ncfg] = $2
	}
}

# The order of the workloads in the table: that of Documentation/benchmark.rst.
function rank(workload)
{
	return index(" pair batch cpus remote trace memory ", " " workload " ")
}

function shown(metric, workload)
{
	if (workload == "memory")
		return 1
	if (workload == "batch" || workload == "remote")
		return metric == "alloc+free"
	return metric == "pair"
}

function cell(c, clock, key)
{
	if (!((c, clock, key) in t))
		return sprintf("%9s %9s %6s", "-", "-", "-")
	return sprintf("%9s %9s %6s", t[c, clock, key], k[c, clock, key], r[c, clock, key])
}

function describe(c)
{
	if (c == "headline")
		return "headline: slab_nomerge init_on_alloc=0, neither allocator zeroes objects"
	return "stock: slab_nomerge and Debian's init_on_alloc=1, both zero every object;\n" \
	       "10^5 pairs, 2*10^4 objects per batch repetition"
}

function figure(c, clock, w, s, p, m, side)
{
	key = w SUBSEP s SUBSEP p SUBSEP m
	return side == "t" ? t[c, clock, key] : side == "k" ? k[c, clock, key] : r[c, clock, key]
}

function target(what, value, limit, note)
{
	printf "  %-44s %6.3f  target <= %-5s %s%s\n", what, value, limit,
	       value <= limit + 0 ? "met" : "MISSED", note
}

# The rows of pair, batch and remote where toyslab takes more instructions
# than the real SLAB, for the target that none may.
function slab_over(    w, j, key, f, n, list)
{
	n = 0
	list = ""
	for (w = 1; w < 40; w++) {
		for (j = 1; j <= nkeys[w]; j++) {
			key = order[w, j]
			split(key, f, SUBSEP)
			if (f[1] != "pair" && f[1] != "batch" && f[1] != "remote")
				continue
			if (!shown(f[4], f[1]) || !(("slab", "icount", key) in r))
				continue
			nslab++
			if (r["slab", "icount", key] + 0 > 1) {
				n++
				list = list sprintf("\n    %s %s %s: %s against %s (%s)", f[1], f[2], f[3],
					t["slab", "icount", key], k["slab", "icount", key],
					r["slab", "icount", key])
			}
		}
	}
	over_list = list
	return n
}

END {
	for (i = 1; i <= ncfg; i++) {
		c = cfg[i]
		slab = c == "headline" && ("slab" in cfgseen)
		printf "toyslab / kernel kmem_cache (SLUB) on %s\n%s\n", release, describe(c)
		if (slab)
			printf "beside toyslab / the real SLAB of 6.1, in one boot of %s\n", slabrel
		printf "%-8s %5s %-11s %-26s   ", "", "", "", "icount: instructions/op"
		if (slab)
			printf "%-26s   ", "icount, real SLAB kernel"
		printf "%-26s\n", "TCG: cycles/op (median of 5)"
		printf "%-8s %5s %-11s %9s %9s %6s   ", "workload", "size", "param", \
		       "toyslab", "SLUB", "ratio"
		if (slab)
			printf "%9s %9s %6s   ", "toyslab", "SLAB", "ratio"
		printf "%9s %9s %6s\n", "toyslab", "SLUB", "ratio"
		for (w = 1; w < 40; w++) {
			for (j = 1; j <= nkeys[w]; j++) {
				key = order[w, j]
				split(key, f, SUBSEP)
				if (!shown(f[4], f[1]))
					continue
				param = f[1] == "memory" ? f[4] : f[3]
				printf "%-8s %5s %-11s %s   ", f[1], f[2], param, cell(c, "icount", key)
				if (slab)
					printf "%s   ", cell("slab", "icount", key)
				printf "%s\n", cell(c, "tsc", key)
			}
		}
		print ""
	}

	c = "headline"
	print "Targets (Documentation/benchmark.rst), headline icount figures:"
	target("hot pair, 64 B: instructions per pair", figure(c, "icount", "pair", 64, "-", "pair", "r"),
	       "0.5", sprintf("  (%s against %s)", figure(c, "icount", "pair", 64, "-", "pair", "t"),
	       figure(c, "icount", "pair", 64, "-", "pair", "k")))
	target("batch 10000, 64 B: alloc + free per object",
	       figure(c, "icount", "batch", 64, 10000, "alloc+free", "r"), "0.6",
	       sprintf("  (alloc %s + free %s against %s + %s)",
	       figure(c, "icount", "batch", 64, 10000, "alloc", "t"),
	       figure(c, "icount", "batch", 64, 10000, "free", "t"),
	       figure(c, "icount", "batch", 64, 10000, "alloc", "k"),
	       figure(c, "icount", "batch", 64, 10000, "free", "k")))
	target("memory, 10000 x 64 B: slab pages", figure(c, "icount", "memory", 64, 10000, "pages", "r"),
	       "1.0", sprintf("  (%s against %s)", figure(c, "icount", "memory", 64, 10000, "pages", "t"),
	       figure(c, "icount", "memory", 64, 10000, "pages", "k")))
	target("memory, with any slab extensions of toyslab",
	       figure(c, "icount", "memory", 64, 10000, "pages+desc", "r"), "1.0",
	       sprintf("  (%s pages)", figure(c, "icount", "memory", 64, 10000, "pages+desc", "t")))
	if ("slab" in cfgseen) {
		n = slab_over()
		printf "  %-44s %6d  target <= %-5s %s  (of %d rows)%s\n",
		       "pair, batch, remote: rows over the real SLAB", n, "0",
		       n ? "MISSED" : "met", nslab, over_list
		target("memory, with extensions, against the real SLAB",
		       figure("slab", "icount", "memory", 64, 10000, "pages+desc", "r"), "1.0",
		       sprintf("  (%s against %s pages)",
		       figure("slab", "icount", "memory", 64, 10000, "pages+desc", "t"),
		       figure("slab", "icount", "memory", 64, 10000, "pages+desc", "k")))
	}
	off = figure(c, "icount", "trace", 64, "off", "pair", "t")
	without = figure(c, "icount", "trace", 64, "notrace", "pair", "t")
	if (without + 0 > 0)
		target("trace events off, against a build without", off / without, "1.01",
		       sprintf("  (%s against %s instructions per pair)", off, without))
}
