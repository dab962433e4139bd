#!/usr/bin/env bats
# azw-train over a Zeek log folder built here from real logs: Zeek's archive
# layout (dated folders, gzipped and plain hourly files, the current link),
# the date filters, a plain folder of logs, and its refusals.

load helpers

CONN="$DATA/conn/ctu-010.conn.json.gz"
DNS="$DATA/formats/brim_dns.head150.log.gz"
TSV="$DATA/formats/rita-missing-host.conn.2blocks.log"

setup() {
	TMP="$BATS_TEST_TMPDIR"
	PATH="$BATS_TEST_DIRNAME/../scripts:$PATH"
	L="$TMP/logs"
	# conn records 1-500 of a real day, 100 an hour, over four dated folders.
	gzip -dc "$CONN" | head -n 500 > "$TMP/conn.all"
	part() { sed -n "$(($1 * 100 + 1)),$(($1 * 100 + 100))p" "$TMP/conn.all"; }
	mkdir -p "$L/2024-04-30" "$L/2024-05-01" "$L/2024-05-02" "$L/2024-05-03" "$L/spool" "$L/stats"
	part 0 | gzip > "$L/2024-04-30/conn.23:00:00-00:00:00.log.gz"
	part 1 | gzip > "$L/2024-05-01/conn.00:00:00-01:00:00.log.gz"
	part 2 > "$L/2024-05-01/conn.01:00:00-02:00:00.log"
	part 3 | gzip > "$L/2024-05-02/conn.10:00:00-11:00:00.log.gz"
	part 4 | gzip > "$L/2024-05-03/conn.00:00:00-01:00:00.log.gz"
	cp "$DNS" "$L/2024-05-02/dns.10:00:00-11:00:00.log.gz"
	echo "not a conn log" | gzip > "$L/2024-05-01/conn-summary.00:00:00-01:00:00.log.gz"
	# The live logs, and a folder that is not a date: never read.
	gzip -dc "$CONN" | tail -n 5 > "$L/spool/conn.log"
	ln -s spool "$L/current"
	cp "$L/spool/conn.log" "$L/stats/conn.log"
}

@test "azw-train --help: the synopsis and every option" {
	run azw-train --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"usage: azw-train --log-dir DIR --modules MODULE... [--start-date YYYY-MM-DD]"* ]]
	for o in --log-dir --modules --start-date --end-date --model-dir --jobs --dry-run --schema \
		--local-nets --context --max-ae --fm-grace --ad-grace --lr --hidden-ratio --seed --fpr --compat; do
		[[ "$output" == *"$o"* ]] || { echo "missing $o"; false; }
	done
}

@test "azw-train --dry-run: the files of the dates, in time order; current, other types and other folders skipped" {
	run azw-train --log-dir "$L" --modules CONN dns --start-date 2024-05-01 --end-date 2024-05-02 -n
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "# conn: 3 files, 2 outside the dates" ]
	[ "${lines[1]}" = "$L/2024-05-01/conn.00:00:00-01:00:00.log.gz" ]
	[ "${lines[2]}" = "$L/2024-05-01/conn.01:00:00-02:00:00.log" ]
	[ "${lines[3]}" = "$L/2024-05-02/conn.10:00:00-11:00:00.log.gz" ]
	[ "${lines[4]}" = "# dns: 1 files, 0 outside the dates" ]
	[ "${lines[5]}" = "$L/2024-05-02/dns.10:00:00-11:00:00.log.gz" ]
	[ "${#lines[@]}" -eq 6 ]
}

@test "azw-train: one model per module, the same model as the pipeline by hand, a report per module" {
	run azw-train --log-dir "$L" --modules conn,DNS --start-date 2024-05-01 --end-date 2024-05-02 \
		--model-dir "$TMP/models" --fm-grace 50 --seed 7
	[ "$status" -eq 0 ]
	[[ "$output" == *"azw-train: conn: 3 files read, 2 outside the dates; 300 records; wrote $TMP/models/conn.model"* ]]
	[[ "$output" == *"azw-train: dns: 1 files read; 150 records; wrote $TMP/models/dns.model"* ]]
	# Records 101-400, in time order, through the filters by hand: the same bytes.
	sed -n 101,400p "$TMP/conn.all" | azw-extract -m conn | azw-fit -q --fm-grace 50 --seed 7 -o "$TMP/hand.model"
	cmp "$TMP/hand.model" "$TMP/models/conn.model"
	grep -q '^module	dns$' "$TMP/models/dns.model"
	# the azw-extract options are passed on: the same as by hand again
	run azw-train --log-dir "$L" --modules conn --start-date 2024-05-01 --end-date 2024-05-02 \
		--model-dir "$TMP/m2" --fm-grace 50 --seed 7 --context none --local-nets 10.0.0.0/8
	[ "$status" -eq 0 ]
	sed -n 101,400p "$TMP/conn.all" | azw-extract -m conn --context none --local-nets 10.0.0.0/8 |
		azw-fit -q --fm-grace 50 --seed 7 -o "$TMP/hand2.model"
	cmp "$TMP/hand2.model" "$TMP/m2/conn.model"
	differ "$TMP/hand2.model" "$TMP/hand.model"
}

@test "azw-train: without dates every dated folder; train.py's option names; models in ." {
	cd "$TMP"
	run azw-train --log-dir "$L" --modules CONN --grace-feature-mapping 50 --learning-rate 0.01 -j 1
	[ "$status" -eq 0 ]
	[[ "$output" == *"conn: 5 files read; 500 records; wrote ./conn.model"* ]]
	grep -q '^fm_grace	50$' conn.model
	grep -q '^lr	0.01$' conn.model
}

@test "azw-train on a plain folder of hourly TSV logs (rita-proxy-rolling's layout)" {
	mkdir "$TMP/plain"
	sed -n 1,68p "$TSV" > "$TMP/plain/conn.00_00_00-01_00_00.log"
	sed -n '70,$p' "$TSV" > "$TMP/plain/conn.01_00_00-02_00_00.log"
	run azw-train --log-dir "$TMP/plain" --modules conn --model-dir "$TMP/m" --fm-grace 20
	[ "$status" -eq 0 ]
	[[ "$output" == *"conn: 2 files read; 120 records"* ]]
}

@test "azw-train: an unreadable file is reported and counted, the others train (exit 1)" {
	head -c 100 "$L/2024-05-02/conn.10:00:00-11:00:00.log.gz" > "$L/2024-05-02/conn.11:00:00-12:00:00.log.gz"
	run azw-train --log-dir "$L" --modules conn --start-date 2024-05-02 --end-date 2024-05-02 \
		--model-dir "$TMP/m" --fm-grace 20
	[ "$status" -eq 1 ]
	[[ "$output" == *"1 files read, 4 outside the dates, 1 unreadable ($L/2024-05-02/conn.11:00:00-12:00:00.log.gz)"* ]]
	[ -f "$TMP/m/conn.model" ]
}

@test "azw-train refuses: no --log-dir, a missing folder, an unknown module, a bad date, no logs" {
	run azw-train --modules conn
	[ "$status" -eq 2 ]
	[[ "$output" == *"--log-dir DIR is required"* ]]
	run azw-train --log-dir "$TMP/nope" --modules conn
	[ "$status" -eq 2 ]
	[[ "$output" == *"$TMP/nope: no such folder"* ]]
	run azw-train --log-dir "$L" --modules conn no/such
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown module 'no/such'"* ]]
	run azw-train --log-dir "$L" --modules conn any
	[ "$status" -eq 2 ]
	[[ "$output" == *"--modules any: name the log types"* ]]
	run azw-train --log-dir "$L" --modules conn --end-date 05/02/2024
	[ "$status" -eq 2 ]
	[[ "$output" == *"--end-date: '05/02/2024' is not a date (YYYY-MM-DD)"* ]]
	run azw-train --log-dir "$L" --modules conn --start-date 2024-05-03 --end-date 2024-05-01
	[ "$status" -eq 2 ]
	run azw-train --log-dir "$L" --modules ssh --model-dir "$TMP/m"
	[ "$status" -eq 2 ]
	[[ "$output" == *"ssh: no ssh logs in $L; no model written"* ]]
	[ ! -e "$TMP/m/ssh.model" ]
	run azw-train --log-dir "$L" --modules conn --max-ae 0 --model-dir "$TMP/m"
	[ "$status" -eq 2 ]
	[[ "$output" == *"--max-ae"* ]]
	[ ! -e "$TMP/m/conn.model" ]
}

@test "azw-train: log types without a module of their own (notice, weird) train with the generic module; rdp and x509 with theirs" {
	mkdir -p "$L/2024-05-04"
	gzip < "$DATA/any/notice.log" > "$L/2024-05-04/notice.00:00:00-01:00:00.log.gz"
	cp "$DATA/any/weird.log" "$L/2024-05-04/weird.00:00:00-01:00:00.log"
	gzip < "$DATA/any/rdp.log" > "$L/2024-05-04/rdp.00:00:00-01:00:00.log.gz"
	cp "$DATA/any/x509.log" "$L/2024-05-04/x509.00:00:00-01:00:00.log"
	run azw-train --log-dir "$L" --modules conn NOTICE weird,RDP x509 --model-dir "$TMP/m" --fm-grace 5
	[ "$status" -eq 0 ]
	for t in notice weird; do
		[ "$(sed -n 's/^module\t//p' "$TMP/m/$t.model")" = "$t" ]
		[ "$(sed -n 's/^schema\t//p' "$TMP/m/$t.model")" = generic ]
	done
	for t in rdp x509; do
		[ "$(sed -n 's/^module\t//p' "$TMP/m/$t.model")" = "$t" ]
		[ "$(sed -n 's/^schema\t//p' "$TMP/m/$t.model")" = extended ]
	done
	# the same models as the pipeline by hand
	for t in notice rdp; do
		gzip -dc "$L/2024-05-04/$t.00:00:00-01:00:00.log.gz" | azw-extract -m "$t" | azw-fit -q --fm-grace 5 -o "$TMP/hand.model"
		diff <(grep -v '^#' "$TMP/hand.model" | grep -v -i 'created\|checksum') \
		     <(grep -v '^#' "$TMP/m/$t.model" | grep -v -i 'created\|checksum')
	done
}
