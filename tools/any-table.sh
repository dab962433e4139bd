#!/bin/sh
# any-table.sh - writes src/modules/anytable.c, the generic module's table
# of the standard Zeek logs' fields and types (for JSON, which carries no
# #types), from the #fields/#types headers of Zeek-written TSV logs:
#
#   sh tools/any-table.sh /work/shared/data > src/modules/anytable.c
#
# The logs: brim-wrccdc (Zeek 6.2's default scripts: 26 types and dns, ssh,
# ssl) and, for conn and http (not in that sample), Zeek's own btest
# baselines of the same era. Zeek types most vocabularies as string, not
# enum: a string field named in CATEGORICAL below (by its meaning: a
# protocol's own words, a small set per site) is marked "category" (a
# vocabulary, hashed into buckets, any.h); any other string is free text
# (length and entropy). Counting distinct values in this sample was tried
# and rejected: a competition's repetitive mail made smtp's subject and
# msg_id look like vocabularies.
set -e
data=${1:?usage: any-table.sh DATA_DIR}
CATEGORICAL="conn.conn_state conn.service http.method http.version http.status_msg
http.info_msg ssh.version ssh.direction ssh.cipher_alg ssh.mac_alg ssh.compression_alg
ssh.kex_alg ssh.host_key_alg ssh.remote_location.country_code ssl.version ssl.cipher
ssl.curve ssl.last_alert ssl.next_protocol ssl.validation_status dns.qclass_name
dns.qtype_name dns.rcode_name kerberos.request_type kerberos.cipher kerberos.error_msg
smb_mapping.service smb_mapping.native_file_system smb_mapping.share_type
dce_rpc.named_pipe dce_rpc.endpoint dce_rpc.operation ntlm.domainname
ntlm.server_tree_name rfb.client_major_version rfb.client_minor_version
rfb.server_major_version rfb.server_minor_version rfb.authentication_method
modbus.func modbus.pdu_type modbus.exception dpd.analyzer ftp.command ftp.mime_type
ocsp.hashAlgorithm ocsp.certStatus ocsp.revokereason rdp.result rdp.security_protocol
rdp.keyboard_layout rdp.client_build rdp.requested_color_depth rdp.cert_type
rdp.encryption_level rdp.encryption_method snmp.version syslog.facility
syslog.severity weird.name weird.source notice.file_mime_type
notice.remote_location.country_code x509.certificate.key_alg x509.certificate.sig_alg
x509.certificate.key_type x509.certificate.curve ldap_search.scope
ldap_search.deref_aliases ldap_search.result pe.machine pe.os pe.subsystem"
{
	for f in "$data"/brim-wrccdc/other-types/*.log.gz "$data"/brim-wrccdc/brim_*.log.gz; do
		gzip -dc "$f"
	done
	cat "$data"/zeek-btest-baselines/core.tunnels.teredo__conn.log \
	    "$data"/zeek-btest-baselines/scripts.base.protocols.http.http-bad-request-with-version__http.canonified.log
} | awk -F'\t' -v cat="$CATEGORICAL" '
BEGIN { n = split(cat, c, /[ \n]+/); for (i = 1; i <= n; i++) named[c[i]] = 1 }
/^#path/ { path = $2; if (!(path in seen)) { seen[path] = 1; order[++np] = path } ; next }
/^#fields/ { if (!(path in nf)) { nf[path] = NF - 1; for (i = 2; i <= NF; i++) fld[path, i - 1] = $i } ; next }
/^#types/ { if (!(path in typed)) { typed[path] = 1; for (i = 2; i <= NF; i++) typ[path, i - 1] = $i } ; next }
END {
	print "/* anytable.c - the standard Zeek logs field types, for the generic"
	print " * module (any.c) reading JSON, which has no #types. Written by"
	print " * tools/any-table.sh from Zeek 6.2 logs (see there): do not edit. */"
	print "#include \"modules/any.h\""
	print ""
	print "const any_std_field any_std_fields[] = {"
	for (p = 1; p <= np; p++) {
		path = order[p]
		for (i = 1; i <= nf[path]; i++) {
			t = typ[path, i]
			k = t
			if (t == "string" && named[path "." fld[path, i]])
				k = "category"
			printf "\t{ \"%s\", \"%s\", \"%s\" },\n", path, fld[path, i], k
		}
	}
	print "\t{ NULL, NULL, NULL },"
	print "};"
}'
