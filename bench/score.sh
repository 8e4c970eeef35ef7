#!/usr/bin/env bash
# Scores the leak detector on the trace families of tests/tracegen.c, per
# context (ci, hours, days) and per family, beside the by-hand baseline,
# in one run: precision counting every raised flag, recall on identifiable
# leaks, withdrawals, final-verdict accuracy, median and p90 delay, and the
# goals of issue 9 marked pass or fail; also per band of the context's
# run lengths.
#
#   bench/score.sh [-v|-vv] [-s SALT|FIRST-LAST] [-c CONTEXT] [-f FAMILY]
#                  [-j JOBS]
#   bench/score.sh -t INDEX [-s SALT] [-o FILE.csv]
#
# -s SALT scores held-out seeds (salt 0 is the tuning set), -s 4-9 pools
# salts 4 to 9 in one table (at most 16); -f FAMILY one
# family (a held-out one); -c CONTEXT one of ci, hours, days; -v lists
# every miss, false alarm and withdrawal with its index; -t INDEX prints
# that trace's evaluations, -o writes it as a CSV for `memtrend analyze`.
set -euo pipefail
cd "$(dirname "$0")/.."
make -s bench/score
bench/score "$@"
