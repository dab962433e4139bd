/* lateral.h - what the schemas of the logs of lateral movement and mail
 * (smb_mapping, smb_files, dce_rpc, ntlm, kerberos, rdp, smtp, x509)
 * share, on top of extended.h: the two ends of a record, words compared
 * without case, the parts of Windows paths and mail addresses, and times.
 *
 * These schemas are per-record: their context (what a source did lately)
 * is a next step (azw-features(7)).
 */
#ifndef AZW_LATERAL_H
#define AZW_LATERAL_H

#include <stddef.h>

#include "modules/extended.h"
#include "zeeklog.h"

/* The two ends of a record: id.orig_h and id.resp_h, which must be
 * addresses, and id.resp_p (*port -1 when unset). Sets *ipv6 (1 if an
 * address is IPv6) and x[the column of the direction word of source
 * dir_src: "internal", "outgoing", "incoming" or "external", from
 * --local-nets]. 0, or -1 with the reason. */
int lat_ends(const ext_index *ix, zl_rec *rec, int dir_src, double *ipv6, int *port, double *x,
             char *why);

/* x[column of s, ASCII letters folded to lower case] = 1; the table's
 * words are written in lower case. Words longer than 127 bytes go to the
 * other column. */
void lat_set_fold(const ext_index *ix, double *x, int src, const char *s, size_t len);

/* A text field as a word folded to lower case into its group: its row,
 * else other; "-" (the none row) when missing or null. 0, or -1 with the
 * reason (not a string). */
int lat_category_fold(const ext_index *ix, zl_rec *rec, const char *field, int src, double *x,
                      char *why);

/* Does s start with prefix, ASCII case folded? */
int lat_prefix_fold(const char *s, size_t len, const char *prefix);

/* Do a and b hold the same text, ASCII case folded? */
int lat_same_fold(const char *a, size_t alen, const char *b, size_t blen);

/* The last component of a Windows or Unix path (after the last '\' or
 * '/'): *tail and *tlen; the whole of s when it has none. */
void lat_path_tail(const char *s, size_t len, const char **tail, size_t *tlen);

/* The non-empty components of a path ('\' or '/' between). */
int lat_components(const char *s, size_t len);

/* A UNC path \\host\share\dir...: the host and the share (empty when
 * absent), and the components after the share. A path without the
 * leading \\ is read as share\dir... (smb_files' path is the share's). */
typedef struct {
	const char *host, *share;
	size_t host_len, share_len;
	int depth; /* non-empty components after the share */
} lat_unc;
void lat_unc_parse(const char *s, size_t len, lat_unc *u);

/* The extension of a file name (after the last '.' of its last path
 * component), without the dot; len 0 when it has none. */
void lat_extension(const char *s, size_t len, const char **ext, size_t *elen);

/* The domain of a mail address ("Ann <ann@Example.org>" gives
 * "Example.org"): after the last '@', up to '>', a blank or the end; len
 * 0 when there is no '@'. */
void lat_mail_domain(const char *s, size_t len, const char **dom, size_t *dlen);

/* A time field (epoch seconds; an ISO 8601 text in JSON-streaming logs
 * reads as such too), rounded to the microsecond from its text as TSV
 * writes it, signed. *present 0 (and *out 0) when missing or null. 0, or
 * -1 with the reason on a value that is not a time. */
int lat_time(zl_rec *rec, const char *field, double *out, int *present, char *why);

/* sign(d) log1p(|d|). */
double lat_slog1p(double d);

#endif
