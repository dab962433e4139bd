/* fields.h - decoders shared by the modules. Each reads one field of a
 * record by name: 0 on success, -1 with a one-line reason in
 * why[AZW_REASON_MAX] ("field: what is wrong: value"). A missing or null
 * field is never an error here unless said so: Zeek leaves unset fields out.
 */
#ifndef AZW_FIELDS_H
#define AZW_FIELDS_H

#include <stdint.h>

#include "modules/modules.h"
#include "zeeklog.h"

/* Build the reason for a bad value (v may be NULL) or a wrong JSON type. */
int fld_bad(char *why, const char *field, const char *what, const zl_value *v);
int fld_wrong_type(char *why, const char *field, const char *want, zl_type got);

/* A string, or dflt when missing or null. *out points into the record. */
int fld_category(zl_rec *rec, const char *field, const char *dflt,
                 const char **out, char *why);
/* A boolean: true/false, "T"/"F", 1/0; 0 when missing or null. */
int fld_flag(zl_rec *rec, const char *field, double *out, char *why);
/* A non-negative count (number or numeric string) rounded to float32 as the
 * original's astype(float32) does; 0 when missing or null. */
int fld_count32(zl_rec *rec, const char *field, double *out, char *why);

/* An address: 4 (with *a4 set, host order) or 6; -1 with a reason when it
 * is missing or not an address. */
int fld_address(zl_rec *rec, const char *field, uint32_t *a4, char *why);
/* Python 3.11.2 (Debian) ipaddress.IPv4Address.is_private. */
int fld_is_private4_py(uint32_t a);
/* AutoZeekWatch's traffic_direction from id.orig_h and id.resp_h:
 * "internal", "outgoing", "incoming", "external", or NULL for IPv6. */
int fld_direction_original(zl_rec *rec, const char **out, char *why);

#endif
