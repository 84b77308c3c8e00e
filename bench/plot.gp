# SPDX-License-Identifier: GPL-2.0
#
# Usage: gnuplot -e "csv='build/bench/bench-6.1.csv'; png='OUT.png'; release='RELEASE'; slabrel='RELEASE2'" bench/plot.gp
#
# The chart of make bench, from its CSV: toyslab's figures over the
# kernel's (below 1: toyslab does less), headline configuration.  Left:
# pair and batch against object size, in instructions (icount), against
# SLUB.  Then, when the CSV has the real SLAB's rows (release slabrel, on
# 6.1; slabrel='' otherwise), the same against the real SLAB.  Right: the
# 64-byte workloads against SLUB, instructions beside TCG cycles.

set datafile separator ","
slab = slabrel ne ""
set terminal pngcairo noenhanced size (slab ? 1800 : 1280),560 font "sans,10"
set output png

# A row wanted, of the headline configuration, from the boot of kernel r.
want(r, c, w, p, m) = strcol(1) eq r && strcol(2) eq "headline" && strcol(3) eq c && \
		      strcol(4) eq w && strcol(6) eq p && strcol(7) eq m

# Each line of a size panel: (size, ratio), from the rows it wants.
set table $pair
plot csv using 5:10 with table if (want(release, "icount", "pair", "-", "pair"))
set table $b1
plot csv using 5:10 with table if (want(release, "icount", "batch", "1", "alloc+free"))
set table $b16
plot csv using 5:10 with table if (want(release, "icount", "batch", "16", "alloc+free"))
set table $b128
plot csv using 5:10 with table if (want(release, "icount", "batch", "128", "alloc+free"))
set table $b1024
plot csv using 5:10 with table if (want(release, "icount", "batch", "1024", "alloc+free"))
set table $b10000
plot csv using 5:10 with table if (want(release, "icount", "batch", "10000", "alloc+free"))
set table $spair
plot csv using 5:10 with table if (want(slabrel, "icount", "pair", "-", "pair"))
set table $sb1
plot csv using 5:10 with table if (want(slabrel, "icount", "batch", "1", "alloc+free"))
set table $sb16
plot csv using 5:10 with table if (want(slabrel, "icount", "batch", "16", "alloc+free"))
set table $sb128
plot csv using 5:10 with table if (want(slabrel, "icount", "batch", "128", "alloc+free"))
set table $sb1024
plot csv using 5:10 with table if (want(slabrel, "icount", "batch", "1024", "alloc+free"))
set table $sb10000
plot csv using 5:10 with table if (want(slabrel, "icount", "batch", "10000", "alloc+free"))
unset table
set datafile separator whitespace

set multiplot layout 1,(slab ? 3 : 2) title sprintf("toyslab / the kernel's allocator, %s, slab_nomerge init_on_alloc=0", release)
set bmargin 4

set logscale y 2
set yrange [0.25:4]
set ytics ("1/4" 0.25, "1/2" 0.5, "1" 1, "2" 2, "4" 4)
set ylabel "toyslab / kernel"
set grid ytics
set key top left

set title "toyslab / SLUB: pair and batch N (icount: instructions per alloc+free)"
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

if (slab) {
	set title sprintf("toyslab / the real SLAB (%s), icount", slabrel)
	plot 1 with lines lc "black" dt 2 notitle, \
	     $spair with linespoints lw 2 pt 7 title "pair", \
	     $sb1 with linespoints pt 5 title "batch 1", \
	     $sb16 with linespoints pt 5 title "batch 16", \
	     $sb128 with linespoints pt 5 title "batch 128", \
	     $sb1024 with linespoints pt 5 title "batch 1024", \
	     $sb10000 with linespoints pt 5 title "batch 10000"
}

# One bar per 64-byte measurement, icount left of TCG, from the CSV.
set datafile separator ","
unset logscale x
unset xlabel
set title "toyslab / SLUB, 64 bytes (icount: instructions, TCG: cycles)"
set xrange [-0.6:6.6]
set xtics ("pair" 0, "cpus" 1, "remote\n0>1" 2, "remote\n1>0" 3, "trace on" 4, \
	   "memory\npages" 5, "memory\n+ ext." 6)
set style fill solid 0.7 border -1
set boxwidth 0.38
slot(w, p, m) = w eq "pair" && m eq "pair" ? 0 : w eq "cpus" ? 1 : \
		w eq "remote" && m eq "alloc+free" ? (p eq "cpu0>cpu1" ? 2 : 3) : \
		w eq "trace" && p eq "on" ? 4 : w eq "memory" ? (m eq "pages" ? 5 : 6) : NaN
bar(c) = strcol(1) eq release && strcol(2) eq "headline" && strcol(3) eq c && strcol(5) eq "64" ? \
	 slot(strcol(4), strcol(6), strcol(7)) : NaN
plot 1 with lines lc "black" dt 2 notitle, \
     csv using (bar("icount") - 0.2):10 with boxes lc rgb "#3465a4" title "icount", \
     csv using (bar("tsc") + 0.2):10 with boxes lc rgb "#f57900" title "TCG"
unset multiplot
