/* Usernames (R27, R34): one rule for the command line, the API and the
 * database (migration 004 repeats it as triggers). */
#include <string.h>

#include "core/rules.h"

/* The names kaiku gives actors that are not users. A venue API key acts as
 * "key:ID" (http/session.c), which the character set already rules out (no
 * ':'); the command line acts as USERNAME_CLI (cli/cmd_common.c). */
static const char *const reserved[] = {USERNAME_CLI};

static bool username_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '@' || c == '-';
}

int api_key_check_count(int64_t held)
{
    return held < API_KEYS_PER_VENUE ? 0 : -ERR_API_KEY_LIMIT;
}

int username_check(const char *name, struct error_details *d)
{
    size_t n = strnlen(name, USERNAME_MAX + 1);
    if (n == 0 || n > USERNAME_MAX)
        return error_field(d, ERR_INVALID_REQUEST, "username");
    for (size_t i = 0; i < n; i++)
        if (!username_char(name[i]))
            return error_field(d, ERR_INVALID_REQUEST, "username");
    for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++)
        if (strcmp(name, reserved[i]) == 0)
            return error_field(d, ERR_INVALID_REQUEST, "username");
    return 0;
}
