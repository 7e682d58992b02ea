#!/bin/sh
# mk/kyua-summary.sh RESULTS_DB - print the failed and broken test cases
# with their reasons, then one closing line "check: N passed, M failed,
# K skipped" (broken test cases count as failed).
set -eu
db=$1
kyua report --results-file="$db" --verbose \
    --results-filter=broken,failed 2>/dev/null |
    sed -n '/^===> Failed tests/,/^===> Summary/p;/^===> Broken tests/,/^===> Summary/p' |
    grep -v '^===> Summary' || true
line=$(kyua report --results-file="$db" | grep '^Test cases:' || true)
[ -n "$line" ] || { echo "check: no results in $db" >&2; exit 1; }
# "Test cases: 10 total, 0 skipped, 0 expected failures, 0 broken, 0 failed"
set -- $(echo "$line" | tr -cs '0-9' ' ')
total=$1 skipped=$2 xfail=$3 broken=$4 failed=$5
passed=$((total - skipped - xfail - broken - failed))
echo "check: $passed passed, $((failed + broken)) failed, $skipped skipped"
