/* Who the client is when kaiku sits behind reverse proxies: the peer of
 * the socket, unless that peer is one of the trusted proxies the operator
 * listed (kaiku serve --trusted-proxy ADDR), whose X-Forwarded-For is then
 * believed. An X-Forwarded-For from anyone else is ignored, so a client
 * cannot choose the address it is counted under. */
#ifndef KAIKU_HTTP_PROXY_H
#define KAIKU_HTTP_PROXY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/model.h"

#define PROXIES_MAX 16

struct proxy_list {
    size_t n;
    struct {
        int family; /* AF_INET or AF_INET6 */
        uint8_t bytes[16];
    } addr[PROXIES_MAX];
};

/* Adds a numeric IPv4 or IPv6 address to the list. Returns 0, or
 * -ERR_INVALID_REQUEST when it is not one or the list is full. */
int proxy_add(struct proxy_list *l, const char *address);

/* The client's address: `peer` itself when it is not in l (or l is NULL);
 * else X-Forwarded-For (`forwarded`, may be NULL) read from the right, each
 * hop a proxy of l passing on the one before it, up to the first address
 * that is not a trusted proxy. An entry that is not an address stops the
 * walk at the trusted hop that sent it. Written to out in the numeric form
 * inet_ntop gives. */
void proxy_client_address(const struct proxy_list *l, const char *peer, const char *forwarded,
                          char out[ADDRESS_MAX + 1]);

#endif
