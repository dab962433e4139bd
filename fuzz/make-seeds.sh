#!/bin/bash
# fuzz/make-seeds.sh - (re)make the seed corpora in fuzz/seeds/ from small
# excerpts of tests/data (and ../shared/data when present), and models made
# by bin/azw-fit. Run from the top folder after make.
set -e
cd "$(dirname "$0")/.."
S=fuzz/seeds
rm -rf "$S"
mkdir -p "$S/zeeklog" "$S/vecstream" "$S/model"
D=tests/data
SH=../shared/data
n=0

# zeeklog: byte 0 = module | schema << 3 | format << 4; byte 1 = context cap
seed() { # module-index schema-bit format file-or-stream (stdin)
	local b0=$(( $1 | $2 << 3 | $3 << 4 ))
	{ printf "\\x$(printf %02x $b0)\\x10"; cat; } > "$S/zeeklog/tmp"
	mv "$S/zeeklog/tmp" "$S/zeeklog/$(sha1sum < "$S/zeeklog/tmp" | cut -c1-16)"
}
mi() { case $1 in conn) echo 0;; dns) echo 1;; http) echo 2;; ssh) echo 3;; ssl) echo 4;; esac; }

for m in conn dns http ssh ssl; do
	i=$(mi $m)
	gzip -dc $D/golden/$m.input.jsonl.gz | head -n 6 | seed $i 0 0
	gzip -dc $D/golden/$m.input.jsonl.gz | head -n 6 | seed $i 1 1
	head -n 8 $D/golden/$m.edge.input.jsonl | seed $i 0 0
	sed -n '9,16p' $D/golden/$m.edge.input.jsonl | seed $i 1 0
done
for f in $D/formats/brim_dns.head150.log.gz $D/formats/brim_ssh.head150.log.gz \
         $D/formats/brim_ssl.head150.log.gz $D/formats/rita-http.head200.log.gz; do
	m=$(basename "$f" | sed 's/.*_\([a-z]*\)\.head.*/\1/; s/rita-http.*/http/')
	gzip -dc "$f" | head -n 14 | seed $(mi $m) 0 0
	gzip -dc "$f" | head -n 14 | seed $(mi $m) 1 2
	gzip -dc "${f%.log.gz}.json.gz" | head -n 4 | seed $(mi $m) 0 0
done
head -n 16 $D/formats/ctu-008-mixed.head200.conn.log.labeled | seed 0 0 0
head -n 12 $D/formats/iot23-layout.head20.conn.log.labeled | seed 0 1 0
head -n 14 $D/formats/zat.conn.head12.log | seed 0 0 2
head -n 12 $D/formats/rita-missing-host.conn.2blocks.log | seed 0 0 0
head -n 12 $D/formats/rita-missing-host.dns.head20.log | seed 1 0 0
for f in $D/formats/zeek-btest/*.log $D/formats/rita-edgecases/*.log; do
	m=$(basename "$f" | grep -o 'conn\|dns\|http\|ssh\|ssl' | tail -n 1)
	head -c 6000 "$f" | seed $(mi ${m:-conn}) 0 0
done
# JSON-streaming and Kafka-wrapped records
if [ -d $SH/rita-json-all-fields ]; then
	for m in conn dns http ssl; do head -n 3 $SH/rita-json-all-fields/$m.log | seed $(mi $m) 0 0; done
fi
head -n 2 $D/conn/ctu-008-mixed.head200.conn.json | sed 's/^/{"conn": /; s/$/}/' | seed 0 0 0

# vecstream: azw-extract output, a few rows each
for m in conn dns http ssh ssl; do
	gzip -dc $D/golden/$m.input.jsonl.gz | head -n 5 | bin/azw-extract -m $m 2>/dev/null > "$S/vecstream/$m-ext" || true
	gzip -dc $D/golden/$m.input.jsonl.gz | head -n 5 | bin/azw-extract -m $m --schema original 2>/dev/null > "$S/vecstream/$m-orig" || true
done
printf '#separator \\x09\n#azw-vectors\t1\n#module\tconn\n#schema\toriginal\n#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\ta\tb\n1.5\tC1\t10.0.0.1\t1\t10.0.0.2\t80\ttcp\t1\t-0\n-\t-\t-\t-\t-\t-\t-\t1e400\tnan\r\n' > "$S/vecstream/tiny"

# model: tiny models (2 and 5 features) and one of a real module
tmp=$(mktemp -d)
awk 'BEGIN { printf "#separator \\x09\n#azw-vectors\t1\n#module\tconn\n#schema\toriginal\n#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\ta\tb\n";
	for (i = 0; i < 40; i++) printf "%d\tC%d\t10.0.0.1\t1\t10.0.0.2\t80\ttcp\t%d\t%g\n", 1600000000 + i, i, i % 7, (i * 37 % 11) / 3 }' > $tmp/v2
bin/azw-fit -q --fm-grace 10 -o $tmp/m2 $tmp/v2 2>/dev/null
bin/azw-fit -q --fm-grace 10 --compat -o $tmp/m2c $tmp/v2 2>/dev/null
awk 'BEGIN { printf "#separator \\x09\n#azw-vectors\t1\n#module\tdns\n#schema\toriginal\n#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\ta\tb\tc\td\te\n";
	for (i = 0; i < 60; i++) printf "%d\tC%d\t10.0.0.1\t1\t10.0.0.2\t53\tudp\t%d\t%d\t%g\t%d\t%g\n", 1600000000 + i, i, i % 7, i % 3, i / 7, (i * 13) % 5, i * 0.25 }' > $tmp/v5
bin/azw-fit -q --fm-grace 20 --max-ae 2 -o $tmp/m5 $tmp/v5 2>/dev/null
gzip -dc $D/golden/ssh.input.jsonl.gz | head -n 300 | bin/azw-extract -m ssh --schema original 2>/dev/null |
	bin/azw-fit -q --fm-grace 50 --max-ae 3 -o $tmp/mssh 2>/dev/null || true
for f in m2 m2c m5 mssh; do
	[ -f $tmp/$f ] || continue
	{ printf '\001'; cat $tmp/$f; } > "$S/model/$f-fixcrc"
	{ printf '\000'; cat $tmp/$f; } > "$S/model/$f-raw"
done
rm -rf "$tmp"
ls "$S"/* | wc -l
