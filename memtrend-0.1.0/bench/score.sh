#!/usr/bin/env bash
# Scores the leak detector on the whole labelled set (tests/tracegen.c)
# beside the by-hand baseline, both in this run: precision, recall, false
# alarms (also per process-day), median and p90 detection delay.
#
#   bench/score.sh [-v|-vv] [-s SALT]     (run from the build directory)
#
# -v lists the traces each method gets wrong, -vv every detection delay.
# -s SALT scores a held-out set: the same shapes with other seeds (the
# detector's thresholds were tuned on the default set).
set -euo pipefail
cd "$(dirname "$0")/.."
make -s bench/score
echo "goals: precision >= 0.98, recall >= 0.95 (leaks >= 0.5 %/h),"
echo "       median delay <= 1 h at 5 %/h, no false alarm on non-leaks"
bench/score "$@"
