#!/bin/sh
# parallel-score.sh - score a vector stream on every core of one machine.
#
#   azw-extract -m conn conn.log | sh parallel-score.sh conn.model > scores.jsonl
#   zcat logs/2024-05-08/conn.*.log.gz | azw-extract -m conn |
#       sh parallel-score.sh conn.model --alerts-only > alerts.jsonl
#
# Scoring with a fixed model is per record, given the vectors: GNU parallel
# cuts the stream into blocks of whole lines, gives each block to its own
# azw-score with the stream's header (the lines starting with # at its
# start) in front, and writes the blocks' scores back in input order
# (--keep-order): the same lines, in the same order, as one azw-score
# (tests/71-scale.bats checks it). Extraction stays one stream: its context
# features (what each host has been doing lately) need every record in
# order; on one core it keeps several azw-score busy.
#
# Arguments: MODEL, then azw-score options. AZW_BLOCK sets the block size
# (GNU parallel's --block; default 4M), AZW_JOBS the number of azw-score
# processes (default: one per core). Needs GNU parallel (Debian: parallel).
# MODEL and the options are read again by the shell of parallel: keep them
# free of spaces and quotes.
[ $# -ge 1 ] || { echo "usage: parallel-score.sh MODEL [azw-score options] < vectors" >&2; exit 2; }
model=$1
shift
[ -r "$model" ] || { echo "parallel-score.sh: $model: cannot read the model" >&2; exit 2; }
exec parallel --will-cite --keep-order --pipe --block "${AZW_BLOCK:-4M}" \
	--jobs "${AZW_JOBS:-100%}" --header '(#.*\n)*' azw-score "$@" "$model"
