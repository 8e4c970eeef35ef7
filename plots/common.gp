# memtrend chart style, shared by every chart template (loaded first).
#
# To restyle the charts, copy memtrend's plots/ directory, edit it, and
# point MEMTREND_PLOTS (or `memtrend plot --templates DIR`) at the copy;
# a file missing there is taken from the installed set.
#
# Parameters memtrend sets (gnuplot variables, set with -e before the
# template runs):
#   out          the output file
#   fmt          'png', 'svg' or 'pdf'
#   width, height   size in pixels (PDF: hundredths of an inch)
#   wall         1: x values are seconds since the epoch (UTC), drawn as
#                clock times in the format xformat; 0: elapsed seconds,
#                drawn divided by x_per_unit
#   xlabel       the time axis's label
#   unit, kib_per_unit   the memory unit ('MiB') and KiB in one of it
#   title, caption       the heading and the words under it
#   font_size    the text size (default 10; the report sets its page's);
#                the templates scale their margins by em = font_size / 10

if (!exists("fmt")) fmt = 'png'
if (!exists("out")) out = 'memtrend.'.fmt
if (!exists("width")) width = 1000
if (!exists("height")) height = 650
if (!exists("wall")) wall = 0
if (!exists("x_per_unit")) x_per_unit = 1
if (!exists("xlabel")) xlabel = 'elapsed (s)'
if (!exists("xformat")) xformat = '%H:%M'
if (!exists("unit")) unit = 'KiB'
if (!exists("kib_per_unit")) kib_per_unit = 1
if (!exists("title")) title = ''
if (!exists("caption")) caption = ''
if (!exists("font_size")) font_size = 10

# Fonts: one family, three sizes.
font_name = 'Sans'
em = font_size / 10.0
title_font = sprintf('%s,%g', font_name, font_size * 1.2)
small_font = sprintf('%s,%g', font_name, font_size * 0.9)

set encoding utf8
if (fmt eq 'svg') {
	set terminal svg size width, height font sprintf('%s,%g', font_name, font_size) \
	    background rgb 'white' noenhanced
} else {
	if (fmt eq 'pdf') {
		set terminal pdfcairo size width / 100.0, height / 100.0 \
		    font sprintf('%s,%g', font_name, font_size * 0.75) noenhanced
	} else {
		set terminal pngcairo size width, height \
		    font sprintf('%s,%g', font_name, font_size) \
		    background rgb 'white' \
		    noenhanced
	}
}
set output out

# Colours (colour-blind safe: Okabe-Ito), one per series everywhere; RSS,
# PSS and USS far apart in hue (tests/test_plot.c checks it).
c_rss = '#0072B2'
c_pss = '#009E73'
c_uss = '#D55E00'
c_trend = '#000000'
c_band = '#999999'
c_flag = '#CC0000'
c_minflt = '#56B4E9'
c_majflt = '#CC79A7'
c_grid = '#DDDDDD'
c_other = '#BBBBBB'
# Region bands and idle lines, in order.
palette = '#0072B2 #E69F00 #009E73 #CC79A7 #56B4E9 #D55E00 #F0E442 #000000'
band_colour(i) = word(palette, (i - 1) % words(palette) + 1)

set border 3 lc rgb '#555555'
set tics nomirror out scale 0.6
set grid xtics ytics lc rgb c_grid lw 1 dt 1
set key noautotitle

# x: the time axis, in the mode memtrend chose.
X(s) = wall ? s : s / x_per_unit
if (wall) {
	set xdata time
	set timefmt '%s'
	set format x xformat timedate
} else {
	set format x '%g'
}
set xlabel xlabel

# y: memory in a human unit.
KB(kb) = kb / kib_per_unit
set format y '%g'

# Data files are tab-separated, '?' is a value memtrend does not know (a
# line runs on past it), NaN breaks a line.
set datafile separator "\t"
set datafile missing '?'

# The heading: the title, then the caption's lines below it; returns
# the screen height (0..1) the heading takes.
caption_lines = (strlen(caption) > 0) ? 1 : 0
do for [i = 1:strlen(caption)] {
	if (caption[i:i] eq "\n") { caption_lines = caption_lines + 1 }
}
line_h = (font_size * 1.6) / height
head_h = (1.4 + caption_lines) * line_h + 0.02
set label 901 title at screen 0.012, screen 1 - 0.9 * line_h left \
    font title_font front
set label 902 caption at screen 0.012, screen 1 - 2.1 * line_h left \
    font small_font front
