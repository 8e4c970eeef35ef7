# memtrend kernel chart: the kernel's own memory over time, from
# memtrend kernel's CSV: unreclaimable and reclaimable slab, vmalloc,
# percpu, kernel stacks, page tables, and the memory no counter explains.
#
# Parameters (besides those of common.gp):
#   common       path of common.gp
#   kernel       data: x, then one column per series in KiB ('?'
#                unknown); the header row names the series
#   lines        the number of series (columns after x)
#   xmin, xmax   the time axis's range (x values)

if (!exists("lines")) lines = 1
if (!exists("common")) common = 'common.gp'
load common

key_w = 230
lm = 78.0 / width
rm = 1 - key_w / real(width)
set lmargin at screen lm
set rmargin at screen rm
set tmargin at screen 1 - head_h - 12.0 / height
set bmargin at screen 52.0 / height
if (exists("xmin") && exists("xmax") && xmax > xmin) {
	set xrange [X(xmin):X(xmax)]
}

set key at screen rm + 12.0 / width, screen 1 - head_h - 12.0 / height \
    left top vertical Left reverse samplen 2 spacing 1.2 noopaque
set ylabel 'memory ('.unit.')'
set yrange [0 < * : *]
set offsets 0, 0, graph 0.05, 0

plot for [i = 1:lines] kernel using (X($1)):(KB(column(i + 1))) \
    with lines lw 1.8 lc rgb band_colour(i) title columnheader(i + 1)
