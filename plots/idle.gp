# memtrend idle chart: for the largest regions with idle data, the share
# of resident memory not accessed since the previous scan, over time
# (top), and at the end how long their pages have been idle (bottom).
#
# Parameters (besides those of common.gp):
#   common       path of common.gp
#   idle         data: x, then idle % of each region ('?' unknown); the
#                header row names the regions
#   ages         data: i, region, then the right ends (KiB) of the
#                stacked parts of region i's bar: accessed, then idle for
#                1, 2-4, 5-16, 17-64 and over 64 scans; the header row
#                names the parts
#   nregions     the number of regions
#   xmin, xmax   the time axis's range (x values)

if (!exists("nregions")) nregions = 1
if (!exists("common")) common = 'common.gp'
load common

key_w = 230 * em
lm = 150.0 * em / width
rm = 1 - key_w / real(width)
bottom = 56.0 * em / height
top = 1 - head_h - 12.0 / height
split = bottom + (top - bottom) * 0.42

set multiplot
set lmargin at screen lm
set rmargin at screen rm

# Top: idle % over time.
set tmargin at screen top
set bmargin at screen split + 50.0 * em / height
if (exists("xmin") && exists("xmax") && xmax > xmin) {
	set xrange [X(xmin):X(xmax)]
}
set yrange [0:100]
set ylabel 'idle % of resident'
set key at screen rm + 12.0 / width, screen top left top vertical \
    Left reverse samplen 2 spacing 1.2 noopaque
plot for [i = 1:nregions] idle using (X($1)):(column(i + 1)) \
    with linespoints lc rgb band_colour(i) lw 1.5 pt 7 ps 0.4 \
    title columnheader(i + 1)

# Bottom: the idle ages at the end, one bar per region.
unset label 901
unset label 902
unset xdata
set xlabel 'resident at the end ('.unit.'): accessed, then idle for N scans'
set format x '%g'
set tmargin at screen split
set bmargin at screen bottom
set xrange [0:*]
set autoscale x
set offsets 0, graph 0.05, 0, 0
set yrange [nregions - 0.5:-0.5]
set ylabel ''
set ytics nomirror scale 0
set grid noytics xtics
set key at screen rm + 12.0 / width, screen split left top vertical \
    Left reverse samplen 1.5 spacing 1.2 noopaque
part_colour(j) = j == 1 ? '#AAAAAA' : word('#FDE0C5 #FACB98 #F59E4C #E25822 #8C2D04', j - 1)
left(j) = j == 1 ? 0 : column(j + 1)
plot for [j = 1:6] ages \
    using ((KB(left(j)) + KB(column(j + 2))) / 2):1: \
	(KB(left(j))):(KB(column(j + 2))):($1 - 0.35):($1 + 0.35):ytic(2) \
    with boxxyerror fc rgb part_colour(j) fs solid 1 border lc rgb '#FFFFFF' \
    title columnheader(j + 2)
unset multiplot
