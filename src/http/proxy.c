#include "http/proxy.h"

#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

#include "core/error.h"
#include "util/strutil.h"

struct ip {
    int family;
    uint8_t bytes[16];
};

/* text (len bytes, spaces around allowed) as an address; false when it is
 * none. */
static bool parse_ip(const char *text, size_t len, struct ip *out)
{
    while (len > 0 && (*text == ' ' || *text == '\t')) {
        text++;
        len--;
    }
    while (len > 0 && (text[len - 1] == ' ' || text[len - 1] == '\t'))
        len--;
    char buf[ADDRESS_MAX + 1];
    if (len == 0 || len > ADDRESS_MAX)
        return false;
    memcpy(buf, text, len);
    buf[len] = '\0';
    memset(out, 0, sizeof *out);
    if (inet_pton(AF_INET, buf, out->bytes) == 1)
        out->family = AF_INET;
    else if (inet_pton(AF_INET6, buf, out->bytes) == 1)
        out->family = AF_INET6;
    else
        return false;
    return true;
}

static bool trusted(const struct proxy_list *l, const struct ip *ip)
{
    for (size_t i = 0; l && i < l->n; i++)
        if (l->addr[i].family == ip->family && memcmp(l->addr[i].bytes, ip->bytes, 16) == 0)
            return true;
    return false;
}

static void format_ip(const struct ip *ip, char out[ADDRESS_MAX + 1])
{
    if (!inet_ntop(ip->family, ip->bytes, out, ADDRESS_MAX + 1))
        str_copy(out, ADDRESS_MAX + 1, "");
}

int proxy_add(struct proxy_list *l, const char *address)
{
    struct ip ip;
    if (l->n >= PROXIES_MAX || !parse_ip(address, strlen(address), &ip))
        return -ERR_INVALID_REQUEST;
    l->addr[l->n].family = ip.family;
    memcpy(l->addr[l->n].bytes, ip.bytes, 16);
    l->n++;
    return 0;
}

void proxy_client_address(const struct proxy_list *l, const char *peer, const char *forwarded,
                          char out[ADDRESS_MAX + 1])
{
    struct ip hop;
    str_copy(out, ADDRESS_MAX + 1, peer);
    if (!parse_ip(peer, strlen(peer), &hop) || !trusted(l, &hop) || !forwarded)
        return;
    /* hop is trusted: the entry to the left of it is who it served. */
    size_t end = strlen(forwarded);
    for (;;) {
        size_t start = end;
        while (start > 0 && forwarded[start - 1] != ',')
            start--;
        struct ip prev;
        if (!parse_ip(forwarded + start, end - start, &prev))
            break; /* garbage: the trusted hop is all we know */
        hop = prev;
        if (!trusted(l, &hop) || start == 0)
            break;
        end = start - 1;
    }
    format_ip(&hop, out);
}
