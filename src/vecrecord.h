/* vecrecord.h - azw-extract's side of the vector stream: a Zeek record's
 * identity columns, the first columns of its row (vecstream.h). Apart from
 * vecstream.[ch] so that the model side, which only reads the stream,
 * links nothing of the Zeek log reader (tests/02-layers.bats). */
#ifndef AZW_VECRECORD_H
#define AZW_VECRECORD_H

#include "vecstream.h"
#include "zeeklog.h"

/* A Zeek record's identity columns, as vec_write_row() takes them: strings
 * as they are, numbers as written (ports as integers), NULL where the
 * record has none. buf holds the ports' texts when they are rewritten
 * ("80.0" -> "80"); id[] points into rec and buf until the next line. */
void vec_record_ids(zl_rec *rec, const char *id[VEC_N_ID], char buf[2][32]);

/* One identity column as vec_record_ids() makes it: field name's value as
 * text (integer: a number as an integer, buf holding at least 32 bytes), or
 * NULL where the record has none. */
const char *vec_id_text(zl_rec *rec, const char *name, char *buf, int integer);

#endif
