#!/usr/bin/env bash
# run.sh: run the libFuzzer harnesses over their corpora (seeded from tests/fuzz/corpus and the built
# apps), with the given libFuzzer limit (-max_total_time=S or -runs=N). Exits non-zero on any finding,
# leaving the failing input in BUILD_DIR/fuzz (crash-*) and the log beside it.
#   run.sh BUILD_DIR LIMIT
set -euo pipefail
build=$(cd "$1" && pwd) limit=$2
here=$(cd "$(dirname "$0")" && pwd)
for target in elf config cpio; do
	corpus=$build/fuzz/corpus-$target log=$build/fuzz/$target.log
	mkdir -p "$corpus"
	if [ $target = elf ]; then
		cp "$build/app/app.elf" "$corpus/app.elf"
		[ ! -f "$build/test/linux_abi.elf" ] || cp "$build/test/linux_abi.elf" "$corpus/linux_abi.elf"
	elif [ $target = config ]; then
		cp "$here"/corpus/config/* "$corpus/"
	else
		[ ! -f "$build/test/tree.cpio" ] || cp "$build/test/tree.cpio" "$corpus/tree.cpio"
		printf '070701%0104d' 0 > "$corpus/zeros"
	fi
	if (cd "$build/fuzz" && ./fuzz_$target -max_len=65536 "$limit" -print_final_stats=1 "$corpus" >"$log" 2>&1); then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		echo "fuzz: $target: no finding in $runs inputs ($limit)"
	else
		grep -E "^(==[0-9]+==ERROR|SUMMARY|artifact_prefix|Test unit written)" "$log" || tail -20 "$log"
		echo "fuzz: $target: a failing input; replay it with: $build/fuzz/fuzz_$target <the file named above>"
		exit 1
	fi
done
