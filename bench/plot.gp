# SPDX-License-Identifier: GPL-2.0
#
# Usage: gnuplot -e "csv='build/bench/bench-6.1.csv'; png='OUT.png'; release='RELEASE'" bench/plot.gp
#
# The chart of make bench, from its CSV: toyslab's figures over the
# kernel's (below 1: toyslab does less), headline configuration.  Left:
# pair and batch against object size, in instructions (icount).  Right:
# the 64-byte workloads, instructions beside TCG cycles.

set datafile separator ","
set terminal pngcairo noenhanced size 1280,560 font "sans,10"
set output png

# A row wanted, of the headline configuration.
want(c, w, p, m) = strcol(2) eq "headline" && strcol(3) eq c && strcol(4) eq w && \
		   strcol(6) eq p && strcol(7) eq m

# Each line of the left panel: (size, ratio), from the rows it wants.
set table $pair
plot csv using 5:10 with table if (want("icount", "pair", "-", "pair"))
set table $b1
plot csv using 5:10 with table if (want("icount", "batch", "1", "alloc+free"))
set table $b16
plot csv using 5:10 with table if (want("icount", "batch", "16", "alloc+free"))
set table $b128
plot csv using 5:10 with table if (want("icount", "batch", "128", "alloc+free"))
set table $b1024
plot csv using 5:10 with table if (want("icount", "batch", "1024", "alloc+free"))
set table $b10000
plot csv using 5:10 with table if (want("icount", "batch", "10000", "alloc+free"))
unset table
set datafile separator whitespace

set multiplot layout 1,2 title sprintf("toyslab / kernel kmem_cache (SLUB), %s, slab_nomerge init_on_alloc=0", release)
set bmargin 4

set logscale y 2
set yrange [0.25:4]
set ytics ("1/4" 0.25, "1/2" 0.5, "1" 1, "2" 2, "4" 4)
set ylabel "toyslab / kernel"
set grid ytics
set key top left

set title "pair and batch N (icount: instructions per alloc+free)"
set logscale x 2
set xrange [6:11000]
set xtics (8, 64, 256, 1024, 4096, 8192)
set xlabel "object size (bytes)"
plot 1 with lines lc "black" dt 2 notitle, \
     $pair with linespoints lw 2 pt 7 title "pair", \
     $b1 with linespoints pt 5 title "batch 1", \
     $b16 with linespoints pt 5 title "batch 16", \
     $b128 with linespoints pt 5 title "batch 128", \
     $b1024 with linespoints pt 5 title "batch 1024", \
     $b10000 with linespoints pt 5 title "batch 10000"

# One bar per 64-byte measurement, icount left of TCG, from the CSV.
set datafile separator ","
unset logscale x
unset xlabel
set title "64 bytes (icount: instructions, TCG: cycles)"
set xrange [-0.6:6.6]
set xtics ("pair" 0, "cpus" 1, "remote\n0>1" 2, "remote\n1>0" 3, "trace on" 4, \
	   "memory\npages" 5, "memory\n+ descr." 6)
set style fill solid 0.7 border -1
set boxwidth 0.38
slot(w, p, m) = w eq "pair" && m eq "pair" ? 0 : w eq "cpus" ? 1 : \
		w eq "remote" && m eq "alloc+free" ? (p eq "cpu0>cpu1" ? 2 : 3) : \
		w eq "trace" && p eq "on" ? 4 : w eq "memory" ? (m eq "pages" ? 5 : 6) : NaN
bar(c) = strcol(2) eq "headline" && strcol(3) eq c && strcol(5) eq "64" ? \
	 slot(strcol(4), strcol(6), strcol(7)) : NaN
plot 1 with lines lc "black" dt 2 notitle, \
     csv using (bar("icount") - 0.2):10 with boxes lc rgb "#3465a4" title "icount", \
     csv using (bar("tsc") + 0.2):10 with boxes lc rgb "#f57900" title "TCG"
unset multiplot
