# memtrend growth chart: RSS, PSS and USS over time, the trend the
# verdict fitted to the floor of the judged metric with its 95 % band, the
# floor points, a marker where growth was first flagged, the verdict as
# the caption, and page faults per second in a panel below.
#
# Parameters (besides those of common.gp):
#   common       path of common.gp
#   sizes        data: x, RSS, PSS, USS in KiB ('?' unknown; a blank
#                line is a gap in the samples)
#   has_rss, has_pss, has_uss   1 when that series has values
#   metric       'USS', 'PSS' or 'RSS': the metric the verdict judged
#   has_fit      1: draw floor and fit
#   has_band     1: draw the slope's 95 % band (and its legend entry):
#                0 when it would be too thin to see
#   floor        data: x, floor point (KiB)
#   fit          data: x, trend, low, high (KiB): the fitted floor line
#                and, through its middle, the lines at the ends of the
#                slope's 95 % confidence interval
#   flagged, flagged_label   x where growth was first flagged (NaN: not
#                flagged) and its words
#   has_faults   1: draw the faults panel
#   faults       data: x, minor, major faults per second (NaN: a break)
#   faults_max   the highest rate (faults/s)
#   has_majflt   1 when major faults are known
#   majflt_title its legend entry (it says when there were none)
#   xmin, xmax   the time axis's range (x values)

if (!exists("has_rss")) has_rss = 1
if (!exists("has_pss")) has_pss = 0
if (!exists("has_uss")) has_uss = 0
if (!exists("metric")) metric = 'RSS'
if (!exists("has_fit")) has_fit = 0
if (!exists("has_band")) has_band = has_fit
if (!exists("sizes")) sizes = '/dev/null'
if (!exists("floor")) floor = '/dev/null'
if (!exists("fit")) fit = '/dev/null'
if (!exists("faults")) faults = '/dev/null'
if (!exists("flagged")) flagged = NaN
if (!exists("flagged_label")) flagged_label = ''
if (!exists("has_faults")) has_faults = 0
if (!exists("has_majflt")) has_majflt = 0
if (!exists("faults_max")) faults_max = 1000
if (!exists("majflt_title")) majflt_title = 'major faults/s'
# Room for the legend, right of the plot.
if (!exists("common")) common = 'common.gp'
load common
key_w = 210 * em

px(n) = n / real(height)
lm = 78.0 * em / width
rm = 1 - key_w / real(width)
bottom = px(52 * em)
main_top = 1 - head_h - px(12)
if (has_faults) {
	faults_top = bottom + (main_top - bottom) * 0.24
	main_bottom = faults_top + px(34 * em)
} else {
	main_bottom = bottom
}
if (exists("xmin") && exists("xmax") && xmax > xmin) {
	set xrange [X(xmin):X(xmax)]
}

set multiplot
set lmargin at screen lm
set rmargin at screen rm
set tmargin at screen main_top
set bmargin at screen main_bottom

# The legend: to the right of the plot, clear of the data.
set key at screen rm + 12.0 / width, screen main_top left top vertical \
    Left reverse samplen 2.5 spacing 1.2 noopaque
set ylabel 'memory ('.unit.')'
set offsets 0, 0, graph 0.06, graph 0.06
# Autoscaled, never below 0 (the offset would take it there).
set yrange [0 < * : *]
if (has_faults) { unset xlabel }

if (flagged == flagged) {
	set arrow 1 from flagged, graph 0 to flagged, graph 1 nohead \
	    lc rgb c_flag dt (6, 4) lw 1.5 front
	set label 1 flagged_label at flagged, graph 0.97 right \
	    offset character -0.6, 0 tc rgb c_flag font small_font front
}

plot \
    for [i = 1:has_band] fit using (X($1)):(KB($3)):(KB($4)) \
	with filledcurves fc rgb c_band fs transparent solid 0.35 noborder \
	notitle, \
    for [i = 1:has_rss] sizes using (X($1)):(KB($2)) with lines \
	lc rgb c_rss lw 1.5 title 'RSS', \
    for [i = 1:has_pss] sizes using (X($1)):(KB($3)) with lines \
	lc rgb c_pss lw 1.5 title 'PSS', \
    for [i = 1:has_uss] sizes using (X($1)):(KB($4)) with lines \
	lc rgb c_uss lw 1.5 title 'USS', \
    for [i = 1:has_fit] floor using (X($1)):(KB($2)) with points \
	pt 7 ps 0.45 lc rgb c_trend title metric.' floor (minima)', \
    for [i = 1:has_fit] fit using (X($1)):(KB($2)) with lines \
	lc rgb c_trend dt (8, 4) lw 1.5 title metric.' trend (Theil–Sen)', \
    for [i = 1:has_band] keyentry with filledcurves fc rgb c_band \
	fs transparent solid 0.35 noborder title 'slope, 95 % CI'

if (has_faults) {
	unset label 901
	unset label 902
	unset label 1
	unset arrow 1
	set tmargin at screen faults_top
	set bmargin at screen bottom
	set xlabel xlabel
	set ylabel 'faults/s'
	# Fault rates span orders of magnitude (a start-up burst, then a
	# steady trickle): a log scale whose bottom is 0 (no faults), not
	# labelled, since a log scale has no 0.
	set nonlinear y via log10(1 + y) inverse 10**y - 1
	set yrange [0:faults_max * 1.5]
	set offsets 0, 0, 0, 0
	set ytics ('1' 1, '10' 10, '100' 100, '1k' 1e3, '10k' 1e4, \
	    '100k' 1e5, '1M' 1e6, '10M' 1e7)
	set key at screen rm + 12.0 / width, screen faults_top left top \
	    vertical Left reverse samplen 2.5 spacing 1.2
	if (flagged == flagged) {
		set arrow 1 from flagged, graph 0 to flagged, graph 1 nohead \
		    lc rgb c_flag dt (6, 4) lw 1.5 back
	}
	plot \
	    faults using (X($1)):2 with lines lc rgb c_minflt lw 1.2 \
		title 'minor faults/s', \
	    for [i = 1:has_majflt] faults using (X($1)):3 with lines \
		lc rgb c_majflt lw 1.2 title majflt_title
}
unset multiplot
