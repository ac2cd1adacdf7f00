/* Messages between the helper and Java over the seqpacket sync socket. */
#ifndef JAVARUN_SYNC_H
#define JAVARUN_SYNC_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "record.h"

/* One receive buffer for the whole process: a record is at most 1 MiB. */
extern unsigned char sync_buf[RECORD_MAX];

/* Send one record; -1 with errno on failure. */
int sync_send(uint32_t nfields, const char *const *fields);

/* Receive one datagram into sync_buf: its length, 0 at end of stream, -1 with errno
 * (EMSGSIZE when it exceeds a record). */
ssize_t sync_recv(void);

/* Send `ERR <st.opindex> <err> <err_detail>` if the socket is still open. */
void report_err(int err);

/* Send `ERR <st.opindex> <err> <err_detail>` if the socket is still open, then exit 1. */
__attribute__((noreturn)) void die(int err);

#endif
