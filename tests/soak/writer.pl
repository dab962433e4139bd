#!/usr/bin/perl
# writer.pl LOG TEMPLATE N RATE ROT_MIN ROT_MAX SEED - a Zeek-like writer for
# the follow soak test: N conn records (TEMPLATE's first line, each with its
# own uid S<n> and ts) appended to LOG at RATE lines a second, in bursts;
# every ROT_MIN..ROT_MAX seconds the log is rotated, by renaming it to
# LOG's stem.<k>.log and starting a new one (two of three times), or by
# copytruncate (a copy LOG.<k>, then the log emptied in place).
use strict;
use warnings;
use Time::HiRes qw(time sleep);

my ($log, $tmpl, $n, $rate, $rmin, $rmax, $seed) = @ARGV;
srand($seed // 1);
open(my $t, '<', $tmpl) or die "$tmpl: $!";
my $rec = <$t>;
close $t;
chomp $rec;
$rec =~ s/"uid":"[^"]*"/"uid":"%s"/ or die "no uid in $tmpl";
$rec =~ s/"ts":[0-9.e+]+/"ts":%.6f/ or die "no ts in $tmpl";
(my $stem = $log) =~ s/\.log$//;

open(my $out, '>>', $log) or die "$log: $!";
my $t0 = time;
my $next_rot = $t0 + $rmin + rand($rmax - $rmin);
my ($k, $rot, $ct) = (0, 0, 0);
for (my $i = 0; $i < $n; ) {
	my $burst = int($rate / 100) || 1;
	for (my $j = 0; $j < $burst && $i < $n; $j++, $i++) {
		printf $out "$rec\n", 1600000000 + $i * 0.001, "S$i"; # (ts comes first in a Zeek record)
	}
	$out->flush;
	my $now = time;
	if ($now >= $next_rot) {
		$k++;
		if ($k % 3) {
			close $out;
			rename($log, "$stem.$k.log") or die "rename: $!";
			open($out, '>>', $log) or die "$log: $!";
			$rot++;
		} else {
			system('cp', $log, "$log.$k") == 0 or die "cp failed";
			truncate($out, 0) or die "truncate: $!";
			$ct++;
		}
		$next_rot = $now + $rmin + rand($rmax - $rmin);
	}
	my $due = $t0 + $i / $rate;
	sleep($due - time) if $due > time;
}
close $out;
printf STDERR "writer: %d records in %.1f s, %d renames, %d copytruncates\n", $n, time - $t0, $rot, $ct;
