#!/usr/bin/env python3
# make.py - writes the hand-made records of tests/19b-lateral.bats: for each
# module NAME, NAME.json (Zeek JSON lines), NAME.log (the same records as
# Zeek TSV) and NAME.expect ("RECORD FEATURE VALUE": every feature a record
# sets to something other than 0; the test checks that all others are 0).
# The records and the values are written here by hand, from what each
# feature means (azw-features(7)); run it again after changing them:
#   python3 tests/data/lateral/make.py
import json, math, os

L = math.log1p
HERE = os.path.dirname(os.path.abspath(__file__))
TS = 1700000000.0


def ends(orig="10.0.0.1", resp="10.0.0.2", port=445):
    return {"uid": "C1", "id.orig_h": orig, "id.orig_p": 50000, "id.resp_h": resp, "id.resp_p": port}


# The four directions and IPv6, for any log with id.*: (ends, expected).
def dirs(port, resp_port_col):
    return [
        (ends("10.0.0.1", "10.0.0.2", port), {"dir_internal": 1, resp_port_col: 1}),
        (ends("10.0.0.1", "8.8.8.8", port), {"dir_outgoing": 1, resp_port_col: 1}),
        (ends("8.8.8.8", "10.0.0.2", port), {"dir_incoming": 1, resp_port_col: 1}),
        (ends("8.8.8.8", "2001:db8::1", port), {"dir_external": 1, "is_ipv6": 1, resp_port_col: 1}),
    ]


def tsv_value(v, typ):
    if v is None:
        return "-"
    if typ == "bool":
        return "T" if v else "F"
    if typ.startswith(("set", "vector")):
        return ",".join(tsv_value(e, "string") for e in v) if v else "(empty)"
    if typ in ("time", "interval", "double"):
        return "%.6f" % v
    if isinstance(v, str):
        return v.replace("\\", "\\\\") if v else "(empty)"
    return str(v)


def write(name, types, records):
    fields = ["ts"] + list(types)
    with open(os.path.join(HERE, name + ".json"), "w") as j, \
         open(os.path.join(HERE, name + ".log"), "w") as t, \
         open(os.path.join(HERE, name + ".expect"), "w") as e:
        t.write("#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n")
        t.write("#path\t%s\n#fields\t%s\n#types\ttime\t%s\n" % (name, "\t".join(fields[1:] and fields), "\t".join(types.values())))
        for i, (rec, want) in enumerate(records, 1):
            rec = dict(rec)
            rec.setdefault("ts", TS)
            j.write(json.dumps({k: rec[k] for k in fields if k in rec and rec[k] is not None}) + "\n")
            t.write("\t".join(tsv_value(rec.get(k), "time" if k == "ts" else types[k]) for k in fields) + "\n")
            for f, v in want.items():
                e.write("%d %s %.6f\n" % (i, f, v))


# Write the #fields line with ts first.
def fixed_fields(types):
    return types


def merge(a, b):
    c = dict(a)
    c.update(b)
    return c


# ---- rdp ----
rdp_types = {"uid": "string", "id.orig_h": "addr", "id.orig_p": "port", "id.resp_h": "addr", "id.resp_p": "port",
             "cookie": "string", "result": "string", "security_protocol": "string",
             "client_channels": "vector[string]", "keyboard_layout": "string", "client_build": "string",
             "client_name": "string", "desktop_width": "count", "desktop_height": "count",
             "requested_color_depth": "string", "cert_type": "string", "cert_count": "count",
             "cert_permanent": "bool", "encryption_level": "string", "encryption_method": "string"}
NONE_RDP = {"cookie_none": 1, "result_none": 1, "security_none": 1, "client_build_none": 1, "keyboard_none": 1,
            "color_none": 1, "cert_none": 1, "enc_level_none": 1, "enc_method_none": 1}
rdp = [(e, merge(NONE_RDP, w)) for e, w in dirs(3389, "resp_port_3389")]
rdp += [
    (merge(ends(port=3390), {"cookie": "nmap", "result": "Success", "security_protocol": "RDP",
                             "client_build": "RDP 5.1", "keyboard_layout": "English - United States",
                             "client_name": "aaaa", "desktop_width": 800, "desktop_height": 600,
                             "requested_color_depth": "16bit", "client_channels": ["cliprdr", "rdpdr", "rdpsnd", "drdynvc", "foo", "bar"],
                             "cert_type": "RSA", "cert_count": 1, "cert_permanent": True,
                             "encryption_level": "Low", "encryption_method": "40bit"}),
     {"dir_internal": 1, "resp_port_other": 1, "cookie_scanner": 1, "result_success": 1, "security_rdp": 1,
      "client_build_legacy": 1, "keyboard_en_us": 1, "log_client_name_len": L(4), "client_name_entropy": 0,
      "log_desktop_width": L(800), "log_desktop_height": L(600), "color_low": 1, "channel_cliprdr": 1,
      "channel_rdpdr": 1, "channel_rdpsnd": 1, "channel_drdynvc": 1, "channel_other": 1, "log_channels": L(6),
      "cert_rsa": 1, "log_cert_count": L(1), "cert_permanent": 1, "enc_level_none_low": 1, "enc_method_weak": 1}),
    (merge(ends(port=3389), {"cookie": "rdp_logon_screen.nbin", "result": "encrypted", "security_protocol": "HYBRID",
                             "client_build": "RDP 8.1", "keyboard_layout": "German - Germany", "client_name": "ab",
                             "requested_color_depth": "32bit", "cert_type": "X.509", "cert_permanent": False,
                             "encryption_level": "Client compatible", "encryption_method": "128bit"}),
     {"dir_internal": 1, "resp_port_3389": 1, "cookie_scanner": 1, "result_encrypted": 1, "security_hybrid": 1,
      "client_build_7_8": 1, "keyboard_other": 1, "log_client_name_len": L(2), "client_name_entropy": 1,
      "color_high": 1, "cert_x509": 1, "enc_level_client_compatible": 1, "enc_method_128bit": 1}),
    (merge(ends(port=3389), {"cookie": "Administr", "result": "SSL_NOT_ALLOWED_BY_SERVER", "security_protocol": "SSL",
                             "client_build": "client_build-19041", "requested_color_depth": "color_depth-3",
                             "cert_type": "cert_type-9", "encryption_level": "High", "encryption_method": "FIPS"}),
     {"dir_internal": 1, "resp_port_3389": 1, "cookie_admin": 1, "result_negotiation_failure": 1, "security_ssl": 1,
      "client_build_number": 1, "keyboard_none": 1, "color_other": 1, "cert_other": 1, "enc_level_high_fips": 1,
      "enc_method_fips": 1}),
    (merge(ends(port=3389), {"cookie": "jerry", "result": "User rejected", "security_protocol": "security_protocol-4",
                             "client_build": "weird", "encryption_level": "encryption_level-7",
                             "encryption_method": "encryption_method-3"}),
     {"dir_internal": 1, "resp_port_3389": 1, "cookie_other": 1, "result_other": 1, "security_other": 1,
      "client_build_other": 1, "keyboard_none": 1, "color_none": 1, "cert_none": 1, "enc_level_other": 1,
      "enc_method_other": 1}),
]
write("rdp", rdp_types, rdp)

# ---- smb_mapping ----
ID = {"uid": "string", "id.orig_h": "addr", "id.orig_p": "port", "id.resp_h": "addr", "id.resp_p": "port"}
smbm_types = merge(ID, {"path": "string", "service": "string", "native_file_system": "string", "share_type": "string"})
NONE_SMBM = {"share_none": 1, "type_none": 1, "service_none": 1, "fs_none": 1}
smbm = [(e, merge(NONE_SMBM, w)) for e, w in dirs(445, "resp_port_445")]
smbm += [
    (merge(ends(port=139), {"path": "\\\\10.0.0.2\\ADMIN$", "share_type": "DISK", "service": "A:", "native_file_system": "NTFS"}),
     {"dir_internal": 1, "resp_port_139": 1, "share_admin": 1, "host_is_address": 1, "type_disk": 1, "service_disk": 1, "fs_ntfs": 1}),
    (merge(ends(port=80), {"path": "\\\\HOST\\c$\\Windows\\Temp", "share_type": "PIPE", "service": "IPC", "native_file_system": "FAT32"}),
     {"dir_internal": 1, "resp_port_other": 1, "share_drive": 1, "log_path_depth": L(2), "type_pipe": 1, "service_ipc": 1, "fs_fat": 1}),
    (merge(ends(), {"path": "\\\\HOST\\IPC$", "share_type": "PRINT", "service": "LPT1:", "native_file_system": "ZFS"}),
     {"dir_internal": 1, "resp_port_445": 1, "share_ipc": 1, "type_print": 1, "service_print": 1, "fs_other": 1}),
    (merge(ends(), {"path": "\\\\dc.example.org\\SYSVOL\\example.org\\Policies", "share_type": "OTHER", "service": "COMM"}),
     {"dir_internal": 1, "resp_port_445": 1, "share_sysvol": 1, "log_path_depth": L(2), "type_other": 1, "service_other": 1, "fs_none": 1}),
    (merge(ends(), {"path": "\\\\HOST\\print$"}),
     {"dir_internal": 1, "resp_port_445": 1, "share_print": 1, "type_none": 1, "service_none": 1, "fs_none": 1}),
    (merge(ends(), {"path": "\\\\HOST\\Backup$"}),
     {"dir_internal": 1, "resp_port_445": 1, "share_hidden_other": 1, "type_none": 1, "service_none": 1, "fs_none": 1}),
    (merge(ends(), {"path": "\\\\[2001:db8::5]\\Public\\a"}),
     {"dir_internal": 1, "resp_port_445": 1, "share_other": 1, "host_is_address": 1, "log_path_depth": L(1), "type_none": 1, "service_none": 1, "fs_none": 1}),
]
write("smb_mapping", smbm_types, smbm)

# ---- smb_files ----
smbf_types = merge(ID, {"fuid": "string", "action": "enum", "path": "string", "name": "string", "size": "count",
                        "prev_name": "string", "times.modified": "time", "times.accessed": "time",
                        "times.created": "time", "times.changed": "time"})
NONE_SMBF = {"action_none": 1, "share_none": 1, "ext_none": 1}
smbf = [(e, merge(NONE_SMBF, w)) for e, w in dirs(139, "resp_port_139")]
A = "SMB::FILE_"
smbf += [
    (merge(ends(), {"action": A + "OPEN", "path": "\\\\10.0.0.2\\ADMIN$", "name": "Temp\\wdszAPrV.tmp", "size": 196,
                    "times.modified": TS - 100, "times.created": TS - 50}),
     {"dir_internal": 1, "resp_port_445": 1, "action_open": 1, "share_admin": 1, "ext_tmp": 1, "log_name_depth": L(1),
      "log_name_len": L(12), "name_entropy": 3.418296, "log_size": L(196), "modified_age": L(100), "created_after_modified": 1}),
    (merge(ends(port=80), {"action": A + "READ", "path": "\\\\HOST\\C$", "name": "x.exe", "times.modified": TS + 10}),
     {"dir_internal": 1, "resp_port_other": 1, "action_read": 1, "share_drive": 1, "ext_exe": 1, "log_name_len": L(5),
      "name_entropy": 1.521928, "modified_age": -L(10)}),
    (merge(ends(), {"action": A + "WRITE", "path": "\\\\HOST\\IPC$", "name": "a\\b\\evil.DLL"}),
     {"dir_internal": 1, "resp_port_445": 1, "action_write": 1, "share_ipc": 1, "ext_dll": 1, "log_name_depth": L(2),
      "log_name_len": L(8), "name_entropy": 2.405639}),
    (merge(ends(), {"action": A + "DELETE", "path": "\\\\HOST\\NETLOGON", "name": "run.ps1"}),
     {"dir_internal": 1, "resp_port_445": 1, "action_delete": 1, "share_sysvol": 1, "ext_script": 1,
      "log_name_len": L(7), "name_entropy": 2.807355}),
    (merge(ends(), {"action": A + "RENAME", "path": "\\\\HOST\\print$", "name": "aa.zip", "prev_name": "aa.tmp"}),
     {"dir_internal": 1, "resp_port_445": 1, "action_rename": 1, "share_print": 1, "ext_archive": 1, "renamed": 1,
      "log_name_len": L(6), "name_entropy": 2.251629}),
    (merge(ends(), {"action": A + "CLOSE", "path": "\\\\HOST\\D$x$", "name": "aa.docx"}),
     {"dir_internal": 1, "resp_port_445": 1, "action_close": 1, "share_hidden_other": 1, "ext_document": 1,
      "log_name_len": L(7), "name_entropy": 2.521641}),
    (merge(ends(), {"action": A + "SET_ATTRIBUTE", "path": "\\\\HOST\\Users", "name": "aa.xyz"}),
     {"dir_internal": 1, "resp_port_445": 1, "action_set_attribute": 1, "share_other": 1, "ext_other": 1,
      "log_name_len": L(6), "name_entropy": 2.251629}),
    (merge(ends(), {"action": "SMB::PIPE_OPEN", "name": "\\SVCCTL"}),
     {"dir_internal": 1, "resp_port_445": 1, "action_pipe": 1, "share_none": 1, "ext_none": 1, "name_rpc_pipe": 1,
      "log_name_len": L(6), "name_entropy": 2.251629}),
    (merge(ends(), {"action": "SMB::PRINT_WRITE"}),
     {"dir_internal": 1, "resp_port_445": 1, "action_print": 1, "share_none": 1, "ext_none": 1}),
    (merge(ends(), {"action": "SMB::OTHER"}),
     {"dir_internal": 1, "resp_port_445": 1, "action_other": 1, "share_none": 1, "ext_none": 1}),
]
write("smb_files", smbf_types, smbf)

# ---- dce_rpc ----
dce_types = merge(ID, {"rtt": "interval", "named_pipe": "string", "endpoint": "string", "operation": "string"})
NONE_DCE = {"pipe_none": 1, "endpoint_none": 1, "op_none": 1}
dce = [(e, merge(NONE_DCE, w)) for e, w in dirs(135, "resp_port_135")]
eps = [("svcctl", "endpoint_svcctl"), ("ITaskSchedulerService", "endpoint_tasks"), ("IRemoteSCMActivator", "endpoint_dcom"),
       ("IWbemServices", "endpoint_wmi"), ("samr", "endpoint_samr"), ("lsarpc", "endpoint_lsarpc"),
       ("drsuapi", "endpoint_drsuapi"), ("netlogon", "endpoint_netlogon"), ("srvsvc", "endpoint_srvsvc_wkssvc"),
       ("winreg", "endpoint_winreg"), ("spoolss", "endpoint_spoolss"), ("efsrpc", "endpoint_efsrpc"),
       ("epmapper", "endpoint_epmapper"), ("5a7b91f8-ff00-11d0-a9b2-00c04fb6e6fc", "endpoint_other")]
ops = [("CreateServiceW", "op_create_service"), ("StartServiceW", "op_start_service"), ("DeleteService", "op_delete_service"),
       ("ChangeServiceConfigW", "op_change_service"), ("OpenSCManagerW", "op_open_scm"),
       ("SchRpcRegisterTask", "op_task_register"), ("SchRpcRun", "op_task_run"), ("SchRpcDelete", "op_task_delete"),
       ("RemoteCreateInstance", "op_dcom_activate"), ("ExecMethod", "op_wmi_exec"), ("DRSGetNCChanges", "op_dcsync"),
       ("NetrServerAuthenticate3", "op_netlogon_auth"), ("NetrServerPasswordSet2", "op_netlogon_setpw"),
       ("SamrEnumerateUsersInDomain", "op_sam_enum"), ("LsarLookupSids2", "op_lsa_lookup"),
       ("NetrSessionEnum", "op_session_enum"), ("BaseRegSetValue", "op_reg_write"),
       ("RpcRemoteFindFirstPrinterChangeNotificationEx", "op_coerce"), ("RpcAddPrinterDriverEx", "op_printer_driver"),
       ("ept_map", "op_epmapper"), ("ServerAlive2", "op_ping"), ("CloseServiceHandle", "op_other")]
for i, (op, col) in enumerate(ops):
    ep, ecol = eps[i % len(eps)]
    pipe, pcol = [("\\pipe\\ntsvcs", "pipe_named"), ("49667", "pipe_port")][i % 2]
    port, rcol = [(445, "resp_port_smb"), (49667, "resp_port_other"), (139, "resp_port_smb")][i % 3]
    rtt = 0.001 * (i + 1)
    dce.append((merge(ends(port=port), {"rtt": rtt, "named_pipe": pipe, "endpoint": ep, "operation": op}),
                {"dir_internal": 1, rcol: 1, "log_rtt": L(round(rtt, 6)), pcol: 1, ecol: 1, col: 1}))
write("dce_rpc", dce_types, dce)

# ---- ntlm ----
ntlm_types = merge(ID, {"username": "string", "hostname": "string", "domainname": "string",
                        "server_nb_computer_name": "string", "server_dns_computer_name": "string",
                        "server_tree_name": "string", "success": "bool"})
NONE_NTLM = {"success_unknown": 1, "user_none": 1, "host_none": 1, "domain_none": 1, "server_nb_none": 1,
             "server_dns_none": 1, "server_tree_none": 1}
ntlm = [(e, merge(NONE_NTLM, w)) for e, w in dirs(445, "resp_port_smb")]
SRV = {"server_nb_computer_name": "DC", "server_dns_computer_name": "dc.example.org", "server_tree_name": "example.org"}
ntlm += [
    (merge(ends(port=80), merge(SRV, {"username": "Administrator", "hostname": "WORKSTATION", "domainname": "workstation", "success": True})),
     {"dir_internal": 1, "resp_port_http": 1, "success_true": 1, "user_admin": 1, "log_user_len": L(13),
      "host_workstation": 1, "log_host_len": L(11), "host_entropy": 3.095795, "domain_is_host": 1}),
    (merge(ends(port=88), {"username": "wwonka:ComeWithM3", "hostname": "NULL", "domainname": "WORKGROUP", "success": False}),
     {"dir_internal": 1, "resp_port_other": 1, "success_false": 1, "user_other": 1, "user_bad_chars": 1,
      "log_user_len": L(17), "host_null": 1, "log_host_len": L(4), "host_entropy": 1.5, "domain_workgroup": 1,
      "server_nb_none": 1, "server_dns_none": 1, "server_tree_none": 1}),
    (merge(ends(port=139), merge(SRV, {"username": "guest", "hostname": "aaaa", "domainname": "CORP"})),
     {"dir_internal": 1, "resp_port_smb": 1, "success_unknown": 1, "user_guest": 1, "log_user_len": L(5),
      "host_other": 1, "log_host_len": L(4), "host_entropy": 0, "domain_other": 1}),
    (merge(ends(port=8080), merge(SRV, {"username": "PC01$"})),
     {"dir_internal": 1, "resp_port_http": 1, "success_unknown": 1, "user_machine": 1, "log_user_len": L(5),
      "host_none": 1, "domain_none": 1}),
]
write("ntlm", ntlm_types, ntlm)

# ---- kerberos ----
krb_types = merge(ID, {"request_type": "string", "client": "string", "service": "string", "success": "bool",
                       "error_msg": "string", "from": "time", "till": "time", "cipher": "string",
                       "forwardable": "bool", "renewable": "bool", "client_cert_subject": "string",
                       "client_cert_fuid": "string", "server_cert_subject": "string", "server_cert_fuid": "string"})
NONE_KRB = {"req_none": 1, "success_unknown": 1, "error_none": 1, "cipher_none": 1, "svc_none": 1, "client_none": 1,
            "till_none": 1}
krb = [(e, merge(NONE_KRB, w)) for e, w in dirs(88, "resp_port_88")]
krb += [
    (merge(ends(port=88), {"request_type": "AS", "client": "alice/EXAMPLE.ORG", "service": "krbtgt/EXAMPLE.ORG",
                           "success": True, "till": TS + 36000, "cipher": "aes256-cts-hmac-sha1-96",
                           "forwardable": True, "renewable": True}),
     {"dir_internal": 1, "resp_port_88": 1, "req_as": 1, "success_true": 1, "error_none": 1, "cipher_aes": 1,
      "svc_krbtgt": 1, "client_user": 1, "forwardable": 1, "renewable": 1, "log_lifetime": L(36000)}),
    (merge(ends(port=445), {"request_type": "TGS", "client": "PC01$/EXAMPLE.ORG", "service": "MSSQLSvc/db.example.org:1433",
                            "success": True, "till": TS + 10 * 365.25 * 86400, "cipher": "rc4-hmac",
                            "forwardable": False}),
     {"dir_internal": 1, "resp_port_other": 1, "req_tgs": 1, "success_true": 1, "error_none": 1, "cipher_rc4": 1,
      "svc_mssql": 1, "client_machine": 1, "log_lifetime": L(10 * 365.25 * 86400)}),
    (merge(ends(port=88), {"request_type": "TGS", "client": "bob@EXAMPLE.ORG", "service": "cifs/fs.example.org",
                           "success": False, "error_msg": "KDC_ERR_PREAUTH_FAILED", "till": TS - 5, "cipher": "des-cbc-md5",
                           "client_cert_subject": "CN=bob"}),
     {"dir_internal": 1, "resp_port_88": 1, "req_tgs": 1, "success_false": 1, "error_preauth_failed": 1,
      "cipher_des": 1, "svc_system": 1, "client_user": 1, "has_client_cert": 1}),
    (merge(ends(port=88), {"request_type": "AS", "service": "HTTP/web.example.org", "error_msg": "KDC_ERR_PREAUTH_REQUIRED",
                           "cipher": "camellia128-cts-cmac", "server_cert_fuid": "F1", "till": 0.0}),
     {"dir_internal": 1, "resp_port_88": 1, "req_as": 1, "success_unknown": 1, "error_preauth_required": 1,
      "cipher_other": 1, "svc_http": 1, "client_none": 1, "has_server_cert": 1, "till_none": 1}),
    (merge(ends(port=88), {"request_type": "XX", "service": "svc_backup/host", "error_msg": "KDC_ERR_C_PRINCIPAL_UNKNOWN"}),
     {"dir_internal": 1, "resp_port_88": 1, "req_other": 1, "success_unknown": 1, "error_principal_unknown": 1,
      "cipher_none": 1, "svc_other": 1, "client_none": 1, "till_none": 1}),
]
for err, col in [("KDC_ERR_S_PRINCIPAL_UNKNOWN", "error_service_unknown"), ("KDC_ERR_CLIENT_REVOKED", "error_revoked"),
                 ("KDC_ERR_ETYPE_NOSUPP", "error_etype"), ("KRB_AP_ERR_SKEW", "error_skew"), ("KRB_ERR_GENERIC", "error_other")]:
    krb.append((merge(ends(port=88), {"error_msg": err}),
                merge(NONE_KRB, {"dir_internal": 1, "resp_port_88": 1, "error_none": 0, col: 1})))
write("kerberos", krb_types, krb)

# ---- smtp ----
smtp_types = merge(ID, {"trans_depth": "count", "helo": "string", "mailfrom": "string", "rcptto": "set[string]",
                        "date": "string", "from": "string", "to": "set[string]", "cc": "set[string]",
                        "reply_to": "string", "msg_id": "string", "in_reply_to": "string", "subject": "string",
                        "x_originating_ip": "addr", "first_received": "string", "second_received": "string",
                        "last_reply": "string", "path": "vector[addr]", "user_agent": "string", "tls": "bool",
                        "fuids": "vector[string]", "is_webmail": "bool"})
NONE_SMTP = {"helo_none": 1, "mailfrom_none": 1, "reply_none": 1}
smtp = [(e, merge(NONE_SMTP, w)) for e, w in dirs(25, "resp_port_25")]
smtp += [
    (merge(ends(port=587), {"trans_depth": 2, "helo": "[10.0.0.1]", "mailfrom": "<ann@evil.example>",
                            "rcptto": ["a@x.org", "b@x.org", "c@x.org"], "from": "Ann <ann@Bank.example>",
                            "to": ["a@x.org"], "cc": ["d@x.org", "e@x.org"], "reply_to": "pay@other.example",
                            "subject": "=?utf-8?B?aGk=?=", "x_originating_ip": "8.8.4.4",
                            "last_reply": "250 ok", "path": ["10.0.0.2", "10.0.0.1"], "user_agent": "Mailer 1",
                            "tls": True, "fuids": ["F1", "F2"], "is_webmail": True}),
     {"dir_internal": 1, "resp_port_587": 1, "log_trans_depth": L(2), "helo_address": 1, "mailfrom_set": 1,
      "log_rcptto": L(3), "log_to": L(1), "log_cc": L(2), "from_mismatch": 1, "reply_to_differs": 1, "no_date": 1,
      "no_msg_id": 1, "log_subject_len": L(16), "subject_entropy": 3.202820, "subject_encoded": 1,
      "has_x_originating_ip": 1, "reply_2xx": 1, "log_path": L(2), "has_user_agent": 1, "tls": 1,
      "log_fuids": L(2), "is_webmail": 1}),
    (merge(ends(port=465), {"helo": "kali", "mailfrom": "", "from": "x <x@bank.example>", "date": "Mon, 1 Jan 2024",
                            "msg_id": "<1@bank.example>", "in_reply_to": "<0@a>", "subject": "aaaa",
                            "reply_to": "y@BANK.example", "last_reply": "354 go on", "tls": False}),
     {"dir_internal": 1, "resp_port_465": 1, "helo_single_label": 1, "mailfrom_empty": 1, "is_reply": 1,
      "log_subject_len": L(4), "reply_3xx": 1}),
    (merge(ends(port=2525), {"helo": "mail.example.org", "mailfrom": "a@b.example", "last_reply": "421 busy"}),
     {"dir_internal": 1, "resp_port_other": 1, "helo_name": 1, "mailfrom_set": 1, "reply_4xx": 1}),
    (merge(ends(), {"last_reply": "530 5.7.1 Client was not authenticated"}),
     {"dir_internal": 1, "resp_port_other": 1, "helo_none": 1, "mailfrom_none": 1, "reply_5xx": 1}),
    (merge(ends(port=25), {"last_reply": "garbage"}),
     {"dir_internal": 1, "resp_port_25": 1, "helo_none": 1, "mailfrom_none": 1, "reply_other": 1}),
    # a look-alike: the header's domain is the envelope's and more
    (merge(ends(port=25), {"mailfrom": "a@bank.example", "from": "b@bank.example.com", "date": "d", "msg_id": "m"}),
     {"dir_internal": 1, "resp_port_25": 1, "helo_none": 1, "mailfrom_set": 1, "from_mismatch": 1, "reply_none": 1}),
]
write("smtp", smtp_types, smtp)

# ---- x509 ----
x509_types = {"fingerprint": "string", "certificate.version": "count", "certificate.serial": "string",
              "certificate.subject": "string", "certificate.issuer": "string",
              "certificate.not_valid_before": "time", "certificate.not_valid_after": "time",
              "certificate.key_alg": "string", "certificate.sig_alg": "string", "certificate.key_type": "string",
              "certificate.key_length": "count", "certificate.exponent": "string", "certificate.curve": "string",
              "san.dns": "vector[string]", "san.uri": "vector[string]", "san.email": "vector[string]",
              "san.ip": "vector[addr]", "basic_constraints.ca": "bool", "basic_constraints.path_len": "count",
              "host_cert": "bool", "client_cert": "bool"}
D = 86400.0
x509 = [
    ({"fingerprint": "fp1", "certificate.version": 3, "certificate.serial": "0A1B",
      "certificate.subject": "CN=a\\, b,O=Example,C=US", "certificate.issuer": "CN=CA,O=Example",
      "certificate.not_valid_before": TS - 10 * D, "certificate.not_valid_after": TS + 355 * D,
      "certificate.key_type": "rsa", "certificate.key_length": 1024, "certificate.exponent": "3",
      "certificate.sig_alg": "sha1WithRSAEncryption", "san.dns": ["*.example.org", "example.org"],
      "san.ip": ["10.0.0.1"], "san.email": ["a@example.org"], "san.uri": ["https://x", "https://y", "https://z"],
      "basic_constraints.ca": True, "basic_constraints.path_len": 2, "host_cert": True, "client_cert": True},
     {"version_3": 1, "log_validity_days": L(365), "log_age_days": L(10), "log_subject_rdns": L(3),
      "log_issuer_rdns": L(2), "log_subject_len": L(23), "log_serial_len": L(4), "key_rsa": 1,
      "log_key_length": L(1024), "key_weak": 1, "exponent_odd": 1, "sig_sha1": 1, "log_san_dns": L(2),
      "log_san_ip": L(1), "log_san_email": L(1), "log_san_uri": L(3), "san_wildcard": 1, "ca_true": 1,
      "log_path_len": L(2), "host_cert": 1, "client_cert": 1}),
    ({"fingerprint": "fp2", "certificate.version": 1, "certificate.subject": "CN=x", "certificate.issuer": "CN=x",
      "certificate.not_valid_before": TS + D, "certificate.not_valid_after": TS + 3 * D,
      "certificate.key_type": "ecdsa", "certificate.key_length": 160, "certificate.sig_alg": "md5WithRSAEncryption",
      "basic_constraints.ca": False},
     {"version_other": 1, "log_validity_days": L(2), "not_yet_valid": 1, "self_signed": 1, "log_subject_rdns": L(1),
      "log_issuer_rdns": L(1), "log_subject_len": L(4), "key_ecdsa": 1, "log_key_length": L(160), "key_weak": 1,
      "sig_md5": 1, "no_san": 1, "ca_false": 1}),
    ({"fingerprint": "fp3", "certificate.not_valid_before": TS - 30 * D, "certificate.not_valid_after": TS - 20 * D,
      "certificate.key_type": "dsa", "certificate.key_length": 2048, "certificate.sig_alg": "ecdsa-with-SHA256",
      "san.dns": ["a.example"]},
     {"version_none": 1, "log_validity_days": L(10), "log_age_days": L(30), "expired": 1, "key_dsa": 1,
      "log_key_length": L(2048), "sig_sha2": 1, "log_san_dns": L(1), "ca_none": 1}),
    ({"fingerprint": "fp4", "certificate.key_type": "ed25519", "certificate.sig_alg": "1.2.3.4", "san.ip": ["10.0.0.1"]},
     {"version_none": 1, "key_other": 1, "sig_other": 1, "log_san_ip": L(1), "ca_none": 1}),
    ({"fingerprint": "fp5"},
     {"version_none": 1, "key_none": 1, "sig_none": 1, "no_san": 1, "ca_none": 1}),
    # valid for half a second more, issued one second ago: neither expired
    # nor not yet valid
    ({"fingerprint": "fp6", "certificate.not_valid_before": TS - 1, "certificate.not_valid_after": TS + 0.5},
     {"version_none": 1, "log_validity_days": L(1.5 / D), "log_age_days": L(1 / D), "key_none": 1, "sig_none": 1,
      "no_san": 1, "ca_none": 1}),
]
write("x509", x509_types, x509)
