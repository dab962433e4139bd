/* smb.c - features of Zeek's smb_mapping.log (one record per tree
 * connect: a client mapping a share) and smb_files.log (one record per
 * action on a file or pipe of a share): two modules, one file, as they
 * read the same shares.
 *
 * Schema "extended" of each (the only one): what an analyst of lateral
 * movement looks at. PsExec, smbexec, wmiexec and their kin map the
 * administrative shares (ADMIN$, C$) to drop a binary and IPC$ to reach
 * the service manager's pipe; a tool names its target by address
 * (\\10.1.2.3\ADMIN$) where a person's Explorer names it by host; group
 * policy passwords are hunted in SYSVOL. On files: the action (a write, a
 * delete, a rename), the kind of file by its extension (an executable, a
 * DLL, a script), random names, and the RPC pipes opened by name
 * (\svcctl). Per record only: the context (a source mapping ADMIN$ on many
 * hosts) is a next step.
 *
 * A share is the second component of a UNC path \\host\share\... (of
 * smb_files' path too, which is the share's); its class, compared without
 * case: admin$, a drive (one letter and $), ipc$, sysvol or netlogon,
 * print$, another name ending in $ (hidden), any other, none.
 *
 * Missing fields: path -> share_none, depth 0; a categorical field -> its
 * *_none column; name -> ext_none; size -> 0; a time -> its column 0.
 * Rejected, with the reason: a missing or bad id.orig_h / id.resp_h, a port
 * that is not one, a size that is negative or not a number, a time that is
 * not one, a text field that is not a string.
 */
#include "modules/extended.h"
#include "modules/lateral.h"
#include "modules/modules.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- what both share: the ends and the share ---- */

#define SHARE_ROWS(S) \
	{ "share_admin",  S, "admin$", "share ADMIN$ (the Windows folder: PsExec and its kin drop their service binary there)" }, \
	{ "share_drive",  S, "c$", "a drive's administrative share: C$, D$, ... (one letter and $)" }, \
	{ "share_ipc",    S, "ipc$", "share IPC$ (named pipes: RPC to the service manager, the registry, SAM)" }, \
	{ "share_sysvol", S, "sysvol|netlogon", "share SYSVOL or NETLOGON (group policy, logon scripts: where passwords are hunted)" }, \
	{ "share_print",  S, "print$", "share PRINT$ (printer drivers)" }, \
	{ "share_hidden_other", S, "x$", "another share whose name ends in $ (hidden)" }, \
	{ "share_other",  S, EXT_OTHER, "any other share" }, \
	{ "share_none",   S, "-", "no share (no path)" }

#define END_ROWS(V6, DIR, PORT) \
	{ "is_ipv6",         V6, NULL, "1 if an address is IPv6" }, \
	{ "dir_internal",    DIR, "internal", "both ends in --local-nets (lateral movement)" }, \
	{ "dir_outgoing",    DIR, "outgoing", "only the client is local" }, \
	{ "dir_incoming",    DIR, "incoming", "only the server is local (SMB from outside)" }, \
	{ "dir_external",    DIR, "external", "neither end is local" }, \
	{ "resp_port_445",   PORT, "445", "server port 445 (SMB direct)" }, \
	{ "resp_port_139",   PORT, "139", "server port 139 (SMB over NetBIOS)" }, \
	{ "resp_port_other", PORT, EXT_OTHER, "any other server port, or none" }

static void set_port(const ext_index *ix, double *x, int src, int port)
{
	const char *s = port == 445 ? "445" : port == 139 ? "139" : EXT_OTHER;

	ext_set(ix, x, src, s, strlen(s));
}

/* The share's class of a UNC path; u gets the path's parts. */
static void set_share(const ext_index *ix, double *x, int src, const char *s, size_t len, lat_unc *u)
{
	const char *sh;
	size_t n;

	lat_unc_parse(s, len, u);
	sh = u->share;
	n = u->share_len;
	if (n == 0)
		ext_set(ix, x, src, "-", 1);
	else if (n == 2 && sh[1] == '$' && ((sh[0] >= 'a' && sh[0] <= 'z') || (sh[0] >= 'A' && sh[0] <= 'Z')))
		ext_set(ix, x, src, "c$", 2);
	else if (sh[n - 1] == '$') {
		char low[128];
		size_t i;

		for (i = 0; i < n && i < sizeof low; i++)
			low[i] = sh[i] >= 'A' && sh[i] <= 'Z' ? (char)(sh[i] - 'A' + 'a') : sh[i];
		if (n >= sizeof low || ext_find(ix, src, low, n) < 0)
			ext_set(ix, x, src, "x$", 2);
		else
			ext_set(ix, x, src, low, n);
	} else
		lat_set_fold(ix, x, src, sh, n);
}

/* ---- smb_mapping ---- */

enum msource {
	M_IPV6, M_DIR, M_PORT, M_SHARE, M_HOST_IP, M_DEPTH, M_SHARE_TYPE, M_SERVICE, M_FS,
	N_MSOURCE
};

static const azw_feature mapping[] = {
	END_ROWS(M_IPV6, M_DIR, M_PORT),
	SHARE_ROWS(M_SHARE),
	{ "host_is_address", M_HOST_IP, NULL, "1 if the path names its host by an IP address (\\\\10.1.2.3\\ADMIN$: a tool's target list) rather than by a name" },
	{ "log_path_depth",  M_DEPTH, NULL, "log1p(components of the path after the share)" },
	{ "type_disk",       M_SHARE_TYPE, "disk", "share_type DISK" },
	{ "type_pipe",       M_SHARE_TYPE, "pipe", "share_type PIPE (IPC$)" },
	{ "type_print",      M_SHARE_TYPE, "print", "share_type PRINT" },
	{ "type_other",      M_SHARE_TYPE, EXT_OTHER, "any other share_type" },
	{ "type_none",       M_SHARE_TYPE, "-", "no share_type" },
	{ "service_disk",    M_SERVICE, "a:", "service A: (a disk, SMB1)" },
	{ "service_ipc",     M_SERVICE, "ipc", "service IPC" },
	{ "service_print",   M_SERVICE, "lpt1:", "service LPT1: (a printer)" },
	{ "service_other",   M_SERVICE, EXT_OTHER, "any other service (COMM, or five question marks: any)" },
	{ "service_none",    M_SERVICE, "-", "no service (SMB2 and later do not send it)" },
	{ "fs_ntfs",         M_FS, "ntfs", "native_file_system NTFS" },
	{ "fs_fat",          M_FS, "fat|fat32|exfat", "native_file_system FAT, FAT32 or exFAT (removable media, appliances)" },
	{ "fs_other",        M_FS, EXT_OTHER, "any other native_file_system (a Samba or NAS server's)" },
	{ "fs_none",         M_FS, "-", "no native_file_system" },
};

static ext_index mindex;

static int extract_mapping(const azw_schema *schema, zl_rec *rec, double *x, char *why)
{
	double num[N_MSOURCE] = { 0 };
	const char *s;
	size_t len;
	int port;
	lat_unc u;

	(void)schema;
	memset(x, 0, (size_t)AZW_N(mapping) * sizeof *x);
	if (lat_ends(&mindex, rec, M_DIR, &num[M_IPV6], &port, x, why) < 0 ||
	    ext_text(rec, "path", &s, &len, why) < 0 ||
	    lat_category_fold(&mindex, rec, "share_type", M_SHARE_TYPE, x, why) < 0 ||
	    lat_category_fold(&mindex, rec, "service", M_SERVICE, x, why) < 0 ||
	    lat_category_fold(&mindex, rec, "native_file_system", M_FS, x, why) < 0)
		return -1;
	set_port(&mindex, x, M_PORT, port);
	set_share(&mindex, x, M_SHARE, s ? s : "", s ? len : 0, &u);
	num[M_HOST_IP] = u.host_len > 0 && ext_is_ip_text(u.host, u.host_len);
	num[M_DEPTH] = log1p(u.depth);
	ext_numbers(&mindex, num, x);
	return 0;
}

/* ---- smb_files ---- */

enum fsource {
	F_IPV6, F_DIR, F_PORT, F_ACTION, F_SHARE, F_EXT, F_PIPE, F_NAME_DEPTH, F_NAME_LEN,
	F_NAME_ENT, F_SIZE, F_RENAMED, F_AGE, F_CREATED_LATER,
	N_FSOURCE
};

static const azw_feature files[] = {
	END_ROWS(F_IPV6, F_DIR, F_PORT),
	{ "action_open",     F_ACTION, "smb::file_open", "action FILE_OPEN" },
	{ "action_read",     F_ACTION, "smb::file_read", "action FILE_READ" },
	{ "action_write",    F_ACTION, "smb::file_write", "action FILE_WRITE (a file put on the server)" },
	{ "action_delete",   F_ACTION, "smb::file_delete", "action FILE_DELETE (a tool cleaning up)" },
	{ "action_rename",   F_ACTION, "smb::file_rename", "action FILE_RENAME" },
	{ "action_close",    F_ACTION, "smb::file_close", "action FILE_CLOSE" },
	{ "action_set_attribute", F_ACTION, "smb::file_set_attribute", "action FILE_SET_ATTRIBUTE (times or attributes changed)" },
	{ "action_pipe",     F_ACTION, "smb::pipe_open|smb::pipe_read|smb::pipe_write|smb::pipe_close", "action PIPE_OPEN, PIPE_READ, PIPE_WRITE or PIPE_CLOSE" },
	{ "action_print",    F_ACTION, "smb::print_open|smb::print_read|smb::print_write|smb::print_close", "action PRINT_OPEN, PRINT_READ, PRINT_WRITE or PRINT_CLOSE" },
	{ "action_other",    F_ACTION, EXT_OTHER, "any other action" },
	{ "action_none",     F_ACTION, "-", "no action" },
	SHARE_ROWS(F_SHARE),
	{ "ext_exe",         F_EXT, "exe|com|scr|msi", "name's extension exe, com, scr or msi (a program)" },
	{ "ext_dll",         F_EXT, "dll|sys|cpl|ocx|drv", "name's extension dll, sys, cpl, ocx or drv (a library or driver)" },
	{ "ext_script",      F_EXT, "ps1|psm1|bat|cmd|vbs|vbe|js|jse|hta|wsf|sh|py", "name's extension a script's: ps1, psm1, bat, cmd, vbs, vbe, js, jse, hta, wsf, sh, py" },
	{ "ext_archive",     F_EXT, "zip|7z|rar|cab|gz|tar|iso", "name's extension an archive's: zip, 7z, rar, cab, gz, tar, iso (staging, exfiltration)" },
	{ "ext_document",    F_EXT, "doc|docx|docm|xls|xlsx|xlsm|ppt|pptx|pdf|rtf|txt|csv", "name's extension a document's" },
	{ "ext_tmp",         F_EXT, "tmp|log|dat|out", "name's extension tmp, log, dat or out (smbexec and wmiexec write a command's output to such a file)" },
	{ "ext_other",       F_EXT, EXT_OTHER, "any other extension" },
	{ "ext_none",        F_EXT, "-", "no extension (a pipe, a folder), or no name" },
	{ "name_rpc_pipe",   F_PIPE, "svcctl|ntsvcs|atsvc|samr|lsarpc|netlogon|srvsvc|wkssvc|winreg|spoolss|drsuapi|epmapper|efsrpc|browser|eventlog", "the name is an RPC pipe's (\\svcctl, \\samr...): remote administration through IPC$" },
	{ "log_name_depth",  F_NAME_DEPTH, NULL, "log1p(folders in name before the file)" },
	{ "log_name_len",    F_NAME_LEN, NULL, "log1p(bytes of the file's own name, its last component)" },
	{ "name_entropy",    F_NAME_ENT, NULL, "entropy of the file's own name, bits per byte (random names: wdszAPrV.tmp)" },
	{ "log_size",        F_SIZE, NULL, "log1p(size)" },
	{ "renamed",         F_RENAMED, NULL, "1 if prev_name is set (a rename)" },
	{ "modified_age",    F_AGE, NULL, "sign(d) log1p(|d|) of d = ts - times.modified, seconds: how old the file's content is; 0 when unset" },
	{ "created_after_modified", F_CREATED_LATER, NULL, "1 if times.created is later than times.modified (a copy: created now, modified long ago)" },
};

static ext_index findex;

static int extract_files(const azw_schema *schema, zl_rec *rec, double *x, char *why)
{
	double num[N_FSOURCE] = { 0 }, ts, mod, cre;
	const char *s, *e, *t;
	size_t len, elen, tlen;
	int port, r, has_ts, has_mod, has_cre;
	lat_unc u;

	(void)schema;
	memset(x, 0, (size_t)AZW_N(files) * sizeof *x);
	if (lat_ends(&findex, rec, F_DIR, &num[F_IPV6], &port, x, why) < 0 ||
	    lat_category_fold(&findex, rec, "action", F_ACTION, x, why) < 0 ||
	    ext_log1p(rec, "size", &num[F_SIZE], why) < 0 ||
	    lat_time(rec, "ts", &ts, &has_ts, why) < 0 ||
	    lat_time(rec, "times.modified", &mod, &has_mod, why) < 0 ||
	    lat_time(rec, "times.created", &cre, &has_cre, why) < 0 ||
	    ext_text(rec, "path", &s, &len, why) < 0)
		return -1;
	set_port(&findex, x, F_PORT, port);
	set_share(&findex, x, F_SHARE, s ? s : "", s ? len : 0, &u);

	if ((r = ext_text(rec, "name", &s, &len, why)) < 0)
		return -1;
	if (!s || r == 1) {
		s = "";
		len = 0;
	}
	lat_extension(s, len, &e, &elen);
	if (elen == 0)
		ext_set(&findex, x, F_EXT, "-", 1);
	else
		lat_set_fold(&findex, x, F_EXT, e, elen);
	lat_path_tail(s, len, &t, &tlen);
	lat_set_fold(&findex, x, F_PIPE, t, tlen);
	r = lat_components(s, len);
	num[F_NAME_DEPTH] = log1p(r > 1 ? r - 1 : 0);
	num[F_NAME_LEN] = log1p((double)ext_text_len(t, tlen));
	num[F_NAME_ENT] = ext_entropy(t, tlen);

	if ((r = ext_text(rec, "prev_name", &s, &len, why)) < 0)
		return -1;
	num[F_RENAMED] = s && len > 0;
	if (has_ts && has_mod)
		num[F_AGE] = lat_slog1p(ts - mod);
	num[F_CREATED_LATER] = has_mod && has_cre && cre > mod;
	ext_numbers(&findex, num, x);
	return 0;
}

static void init(void)
{
	if (ext_index_init(&mindex, mapping, AZW_N(mapping)) < 0 ||
	    ext_index_init(&findex, files, AZW_N(files)) < 0)
		abort(); /* a malformed table: a programming error */
}

static void init_none(void)
{
}

static const azw_schema mapping_schemas[] = {
	{ "extended", AZW_N(mapping), mapping, extract_mapping, NULL, 0, NULL },
};

static const azw_schema files_schemas[] = {
	{ "extended", AZW_N(files), files, extract_files, NULL, 0, NULL },
};

const azw_module azw_module_smb_mapping = {
	"smb_mapping",
	"Zeek smb_mapping.log: one record per share mapped (tree connect)",
	init,
	AZW_N(mapping_schemas),
	mapping_schemas,
};

const azw_module azw_module_smb_files = {
	"smb_files",
	"Zeek smb_files.log: one record per action on a file or pipe of a share",
	init_none, /* smb_mapping's init() builds both indexes */
	AZW_N(files_schemas),
	files_schemas,
};
