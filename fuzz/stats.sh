#!/bin/sh
# fuzz/stats.sh - executions and seconds per harness over every run logged
# in build/fuzz/logs (seconds = executions / the run's average rate).
cd "$(dirname "$0")/.." || exit 2
for h in $(ls build/fuzz/logs 2>/dev/null | sed 's/\..*//' | sort -u); do
	for f in build/fuzz/logs/$h.*.log; do
		e=$(sed -n 's/^stat::number_of_executed_units: *//p' "$f" | tail -n 1)
		r=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$f" | tail -n 1)
		if [ -z "$e" ]; then # still running: its last status line
			e=$(grep -o '^#[0-9]*' "$f" | tail -n 1 | tr -d '#')
			r=$(grep -o 'exec/s: [0-9]*' "$f" | tail -n 1 | sed 's/exec.s: //')
		fi
		echo "$h ${e:-0} ${r:-0}"
	done
done | awk '{ n[$1]++; e[$1] += $2; if ($3 > 0) s[$1] += $2 / $3 }
	END { for (h in n) printf "fuzz_%s: %d runs, %d executions, %.1f minutes\n", h, n[h], e[h], s[h] / 60 }'
