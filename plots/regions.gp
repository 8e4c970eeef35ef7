# memtrend regions chart: where the memory is, as stacked areas of the
# regions that grew most over the run, the rest grouped as "other".
#
# Parameters (besides those of common.gp):
#   common       path of common.gp
#   regions      data: x, then the top of each band in KiB, bottom band
#                first ("other"), the region that grew most last; the
#                header row names the bands
#   bands        the number of bands (columns after x)
#   metric       'USS' or 'RSS': what is stacked
#   xmin, xmax   the time axis's range (x values)

if (!exists("bands")) bands = 1
if (!exists("metric")) metric = 'USS'
if (!exists("common")) common = 'common.gp'
load common

key_w = 230 * em
lm = 78.0 * em / width
rm = 1 - key_w / real(width)
set lmargin at screen lm
set rmargin at screen rm
set tmargin at screen 1 - head_h - 12.0 / height
set bmargin at screen 52.0 * em / height
if (exists("xmin") && exists("xmax") && xmax > xmin) {
	set xrange [X(xmin):X(xmax)]
}

set key at screen rm + 12.0 / width, screen 1 - head_h - 12.0 / height \
    left top vertical Left reverse samplen 1.5 spacing 1.2 noopaque
set ylabel metric.' ('.unit.')'
set yrange [0:*]
set offsets 0, 0, graph 0.05, 0

colour(i) = i == 1 ? c_other : band_colour(bands - i + 1)
# Band i (1: bottom) lies between column i (the band below's top; for
# the first, 0) and column i + 1.
lower(i) = i == 1 ? 0 : column(i)

plot for [i = bands:1:-1] regions \
    using (X($1)):(KB(lower(i))):(KB(column(i + 1))) \
    with filledcurves fc rgb colour(i) fs solid 0.85 border lc rgb '#FFFFFF' \
    title columnheader(i + 1)
