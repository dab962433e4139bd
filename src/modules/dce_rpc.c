/* dce_rpc.c - features of Zeek's dce_rpc.log: one record per DCE/RPC call
 * (a request and its response).
 *
 * Schema "extended" (the only one): the interface (endpoint) and the call
 * (operation) in the families an analyst of lateral movement watches:
 * a service created and started through svcctl (PsExec, smbexec), a task
 * registered through atsvc or the task scheduler (atexec), DCOM
 * activation (wmiexec, dcomexec), account and group enumeration through
 * samr and lsarpc, session and share enumeration through srvsvc and
 * wkssvc (BloodHound), a remote registry write, directory replication
 * from drsuapi (DCSync), netlogon's secure-channel calls (Zerologon),
 * and the calls that coerce a server to authenticate (PrinterBug through
 * spoolss, PetitPotam through efsrpc). Also the transport (a named pipe
 * over SMB, or TCP to the endpoint mapper or a dynamic port) and the
 * round trip time. Per record only: the context (a burst of calls from one
 * source) is a next step.
 *
 * Endpoints and operations are compared as Zeek names them, without case.
 * Missing fields: endpoint -> endpoint_none, operation -> op_none,
 * named_pipe -> pipe_none, rtt -> 0.
 * Rejected, with the reason: a missing or bad id.orig_h / id.resp_h, a port
 * that is not one, an rtt that is negative or not a number, a text field
 * that is not a string.
 */
#include "modules/extended.h"
#include "modules/lateral.h"
#include "modules/modules.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum xsource {
	X_IPV6, X_DIR, X_PORT, X_RTT, X_PIPE, X_ENDPOINT, X_OP,
	N_XSOURCE
};

static const azw_feature extended[] = {
	{ "is_ipv6",         X_IPV6, NULL, "1 if an address is IPv6" },
	{ "dir_internal",    X_DIR, "internal", "both ends in --local-nets (lateral movement)" },
	{ "dir_outgoing",    X_DIR, "outgoing", "only the client is local" },
	{ "dir_incoming",    X_DIR, "incoming", "only the server is local (RPC from outside)" },
	{ "dir_external",    X_DIR, "external", "neither end is local" },
	{ "resp_port_135",   X_PORT, "135", "server port 135 (the endpoint mapper, DCOM)" },
	{ "resp_port_smb",   X_PORT, "445|139", "server port 445 or 139 (a named pipe over SMB)" },
	{ "resp_port_other", X_PORT, EXT_OTHER, "any other server port (a dynamic RPC port), or none" },
	{ "log_rtt",         X_RTT, NULL, "log1p(rtt), seconds, to the microsecond" },
	{ "pipe_named",      X_PIPE, "pipe", "named_pipe is a pipe's name (\\pipe\\ntsvcs): RPC over SMB" },
	{ "pipe_port",       X_PIPE, "port", "named_pipe is a port number (RPC over TCP)" },
	{ "pipe_none",       X_PIPE, "-", "no named_pipe" },
	{ "endpoint_svcctl", X_ENDPOINT, "svcctl", "endpoint svcctl: the service control manager (PsExec, smbexec)" },
	{ "endpoint_tasks",  X_ENDPOINT, "atsvc|itaskschedulerservice|sasec", "endpoint atsvc, ITaskSchedulerService or sasec: scheduled tasks (atexec)" },
	{ "endpoint_dcom",   X_ENDPOINT, "iremotescmactivator|isystemactivator|iobjectexporter|iremunknown|iremunknown2", "endpoint a DCOM activator or exporter (wmiexec, dcomexec)" },
	{ "endpoint_wmi",    X_ENDPOINT, "iwbemservices|iwbemlevel1login|iwbemloginclientid", "endpoint a WMI interface" },
	{ "endpoint_samr",   X_ENDPOINT, "samr", "endpoint samr: accounts and groups" },
	{ "endpoint_lsarpc", X_ENDPOINT, "lsarpc|lsa_ds", "endpoint lsarpc: policy, SID and name lookups" },
	{ "endpoint_drsuapi", X_ENDPOINT, "drsuapi", "endpoint drsuapi: directory replication (DCSync when not between DCs)" },
	{ "endpoint_netlogon", X_ENDPOINT, "netlogon", "endpoint netlogon: the secure channel (Zerologon)" },
	{ "endpoint_srvsvc_wkssvc", X_ENDPOINT, "srvsvc|wkssvc", "endpoint srvsvc or wkssvc: shares, sessions, logged-on users (BloodHound)" },
	{ "endpoint_winreg", X_ENDPOINT, "winreg", "endpoint winreg: the remote registry" },
	{ "endpoint_spoolss", X_ENDPOINT, "spoolss", "endpoint spoolss: the print spooler (PrinterBug, PrintNightmare)" },
	{ "endpoint_efsrpc", X_ENDPOINT, "efsrpc", "endpoint efsrpc: encrypting file system (PetitPotam)" },
	{ "endpoint_epmapper", X_ENDPOINT, "epmapper", "endpoint epmapper: the endpoint mapper" },
	{ "endpoint_other",  X_ENDPOINT, EXT_OTHER, "any other endpoint (a UUID Zeek has no name for)" },
	{ "endpoint_none",   X_ENDPOINT, "-", "no endpoint" },
	{ "op_create_service", X_OP, "createservicew|createservicea|createservicewow64w|createservicewow64a|rcreateservicew|rcreateservicea", "operation CreateService: a service installed (a remote command)" },
	{ "op_start_service", X_OP, "startservicew|startservicea|rstartservicew|rstartservicea", "operation StartService" },
	{ "op_delete_service", X_OP, "deleteservice|rdeleteservice", "operation DeleteService (a tool cleaning up)" },
	{ "op_change_service", X_OP, "changeserviceconfigw|changeserviceconfiga|changeserviceconfig2w|changeserviceconfig2a", "operation ChangeServiceConfig (an existing service turned into a launcher)" },
	{ "op_open_scm",     X_OP, "openscmanagerw|openscmanagera|openscmanager2", "operation OpenSCManager" },
	{ "op_task_register", X_OP, "schrpcregistertask|netrjobadd|sasetaccountinformation", "operation SchRpcRegisterTask or NetrJobAdd: a task created" },
	{ "op_task_run",     X_OP, "schrpcrun|schrpcenabletask", "operation SchRpcRun or SchRpcEnableTask" },
	{ "op_task_delete",  X_OP, "schrpcdelete|netrjobdel", "operation SchRpcDelete or NetrJobDel" },
	{ "op_dcom_activate", X_OP, "remotecreateinstance|remotegetclassobject", "operation RemoteCreateInstance or RemoteGetClassObject: a DCOM object made" },
	{ "op_wmi_exec",     X_OP, "execmethod|execmethodasync|execquery|execnotificationqueryasync|ntlmlogin", "operation a WMI query or method call" },
	{ "op_dcsync",       X_OP, "drsgetncchanges|drsreplicasync", "operation DRSGetNCChanges or DRSReplicaSync: replication (DCSync)" },
	{ "op_netlogon_auth", X_OP, "netrserverreqchallenge|netrserverauthenticate|netrserverauthenticate2|netrserverauthenticate3", "operation NetrServerReqChallenge or NetrServerAuthenticate (Zerologon sends thousands)" },
	{ "op_netlogon_setpw", X_OP, "netrserverpasswordset|netrserverpasswordset2", "operation NetrServerPasswordSet: a machine account's password set (Zerologon's last step)" },
	{ "op_sam_enum",     X_OP, "samrenumeratedomainsinsamserver|samrenumerateusersindomain|samrenumerategroupsindomain|samrenumeratealiasesindomain|samrquerydisplayinformation|samrquerydisplayinformation2|samrquerydisplayinformation3|samrgetmembersingroup|samrgetaliasmembership|samrlookupnamesindomain|samrlookupidsindomain|samrquerygroupinfo|samrqueryinformationuser", "operation a samr enumeration or lookup (users, groups, members)" },
	{ "op_lsa_lookup",   X_OP, "lsarlookupsids|lsarlookupsids2|lsarlookupsids3|lsarlookupnames|lsarlookupnames2|lsarlookupnames3|lsarlookupnames4|lsarenumerateaccounts|lsarenumeratetrusteddomains|lsarenumeratetrusteddomainsex|lsarqueryinformationpolicy|lsarqueryinformationpolicy2", "operation an lsarpc lookup or enumeration (SIDs, names, trusts)" },
	{ "op_session_enum", X_OP, "netrsessionenum|netrshareenum|netrshareenumsticky|netrwkstauserenum|netrconnectionenum|netrfileenum|netrservergetinfo|netrwkstagetinfo", "operation a srvsvc or wkssvc enumeration (sessions, shares, logged-on users)" },
	{ "op_reg_write",    X_OP, "baseregcreatekey|baseregsetvalue|baseregdeletekey|baseregdeletevalue|baseregsavekey|baseregsavekeyex", "operation a remote registry write or hive save (SAM dump)" },
	{ "op_coerce",       X_OP, "rpcremotefindfirstprinterchangenotification|rpcremotefindfirstprinterchangenotificationex|efsrpcopenfileraw|efsrpcencryptfilesrv|efsrpcdecryptfilesrv|efsrpcqueryusersonfile|efsrpcqueryrecoveryagents|efsrpcfilekeyinfo", "operation that makes a server authenticate elsewhere (PrinterBug, PetitPotam)" },
	{ "op_printer_driver", X_OP, "rpcaddprinterdriver|rpcaddprinterdriverex|rpcasyncaddprinterdriver", "operation RpcAddPrinterDriver (PrintNightmare)" },
	{ "op_epmapper",     X_OP, "ept_map|ept_lookup|ept_lookup_handle_free", "operation an endpoint mapper lookup" },
	{ "op_ping",         X_OP, "serveralive|serveralive2|simpleping|complexping", "operation ServerAlive or a DCOM ping" },
	{ "op_other",        X_OP, EXT_OTHER, "any other operation" },
	{ "op_none",         X_OP, "-", "no operation" },
};

#define N_EXTENDED AZW_N(extended)

static ext_index xindex;

static int extract_extended(const azw_schema *schema, zl_rec *rec, double *x, char *why)
{
	double num[N_XSOURCE] = { 0 };
	const char *s;
	size_t len, i;
	int port, present, digits;

	(void)schema;
	memset(x, 0, (size_t)N_EXTENDED * sizeof *x);
	if (lat_ends(&xindex, rec, X_DIR, &num[X_IPV6], &port, x, why) < 0 ||
	    fld_interval6(rec, "rtt", &num[X_RTT], &present, why) < 0 ||
	    lat_category_fold(&xindex, rec, "endpoint", X_ENDPOINT, x, why) < 0 ||
	    lat_category_fold(&xindex, rec, "operation", X_OP, x, why) < 0)
		return -1;
	num[X_RTT] = log1p(num[X_RTT]);
	s = port == 135 ? "135" : port == 445 ? "445" : port == 139 ? "139" : EXT_OTHER;
	ext_set(&xindex, x, X_PORT, s, strlen(s));
	if (ext_word(rec, "named_pipe", &s, &len, why) < 0)
		return -1;
	if (!s || len == 0) {
		ext_set(&xindex, x, X_PIPE, "-", 1);
	} else {
		for (i = 0, digits = 1; i < len; i++)
			digits &= s[i] >= '0' && s[i] <= '9';
		ext_set(&xindex, x, X_PIPE, digits ? "port" : "pipe", 4);
	}
	ext_numbers(&xindex, num, x);
	return 0;
}

static void init(void)
{
	if (ext_index_init(&xindex, extended, N_EXTENDED) < 0)
		abort(); /* a malformed table: a programming error */
}

static const azw_schema dce_rpc_schemas[] = {
	{ "extended", N_EXTENDED, extended, extract_extended, NULL, 0, NULL },
};

const azw_module azw_module_dce_rpc = {
	"dce_rpc",
	"Zeek dce_rpc.log: one record per DCE/RPC call",
	init,
	AZW_N(dce_rpc_schemas),
	dce_rpc_schemas,
};
