/* multipart/form-data (RFC 7578), for the routes that take a file
 * (ROUTE_UPLOAD): the transport (server.c) parses the body with
 * libmicrohttpd's post processor into parts, no parser of our own; the
 * pipeline (dispatch.c) then makes the parts the request's body with
 * multipart_body: the text parts as form pairs, with the form reader's
 * checks (clean UTF-8, the route's fields, R10), the one file part as
 * r->upload. */
#ifndef KAIKU_HTTP_MULTIPART_H
#define KAIKU_HTTP_MULTIPART_H

#include <stdbool.h>
#include <stddef.h>

#include "http/request.h"

#define HTTP_UPLOAD_MAX     (9 * 1024 * 1024) /* a whole upload: an 8 MB file and its form */
#define MULTIPART_PARTS_MAX 16
#define MULTIPART_NAME_MAX  64
#define MULTIPART_FILE_MAX  255
#define MULTIPART_TEXT_MAX  4096 /* bytes of a part that is not a file */

struct http_part {
    char name[MULTIPART_NAME_MAX + 1];
    char filename[MULTIPART_FILE_MAX + 1];
    bool file;  /* it came with a filename */
    char *data; /* malloc'd, NUL-terminated; the transport frees it */
    size_t len, cap;
};

/* Whether a Content-Type is multipart/form-data (with its boundary). */
bool multipart_is(const char *content_type);

/* Appends size bytes at off of the part named key (a new part when off is
 * 0) to parts[0..*n): the post processor's iterator calls it. Returns false
 * (stop) past MULTIPART_PARTS_MAX parts or a name too long. */
bool multipart_add(struct http_part *parts, size_t *n, const char *key, const char *filename,
                   const char *data, size_t off, size_t size);

/* Frees the parts' data. */
void multipart_free(struct http_part *parts, size_t n);

/* The parts as r's body (see above). One file part at most. Returns 0 or
 * -ERR_x (400 invalid_request, identity_data_refused). */
int multipart_body(struct request *r, const struct http_part *parts, size_t n);

#endif
