#include "util/secret.h"

#include <sodium.h>
#include <string.h>

#define PW_OPSLIMIT 2ULL
#define PW_MEMLIMIT (19ULL * 1024 * 1024)

_Static_assert(SECRET_HASH_MAX == crypto_pwhash_STRBYTES, "hash size");

int secret_init(void)
{
    return sodium_init() < 0 ? -1 : 0;
}

/* The blanks a password may not consist of only: ASCII white space, the
 * no-break space and the ideographic space (as UTF-8). */
static const char *const blanks[] = {" ", "\t", "\n", "\r", "\v", "\f", "\xc2\xa0", "\xe3\x80\x80"};

static bool all_blank(const char *s)
{
    while (*s) {
        size_t i = 0;
        while (i < sizeof blanks / sizeof blanks[0] &&
               strncmp(s, blanks[i], strlen(blanks[i])) != 0)
            i++;
        if (i == sizeof blanks / sizeof blanks[0])
            return false;
        s += strlen(blanks[i]);
    }
    return true;
}

bool secret_password_acceptable(const char *password)
{
    size_t n = strlen(password);
    /* Length alone would let twelve spaces through. */
    return n >= PASSWORD_MIN_LEN && n <= PASSWORD_MAX_LEN && !all_blank(password);
}

int secret_hash_password(const char *password, char out[SECRET_HASH_MAX + 1])
{
    char hash[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(hash, password, strlen(password), PW_OPSLIMIT, PW_MEMLIMIT,
                              crypto_pwhash_ALG_ARGON2ID13) != 0)
        return -1;
    memcpy(out, hash, sizeof hash);
    out[SECRET_HASH_MAX] = '\0';
    sodium_memzero(hash, sizeof hash);
    return 0;
}

bool secret_verify_password(const char *hash, const char *password)
{
    return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

void secret_token(char out[SECRET_TOKEN_LEN + 1])
{
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(out, SECRET_TOKEN_LEN + 1, raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
}

void secret_digest(const char *token, size_t len, uint8_t out[SECRET_DIGEST_BYTES])
{
    crypto_generichash(out, SECRET_DIGEST_BYTES, (const unsigned char *)token, len, NULL, 0);
}

bool secret_equal(const void *a, const void *b, size_t n)
{
    return sodium_memcmp(a, b, n) == 0;
}
