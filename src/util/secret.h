/* Passwords, tokens and their hashes (libsodium). Call secret_init() once
 * before any other function (it initialises libsodium; thread-safe). */
#ifndef KAIKU_UTIL_SECRET_H
#define KAIKU_UTIL_SECRET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SECRET_HASH_MAX     128 /* crypto_pwhash_STRBYTES: an argon2id string */
#define SECRET_TOKEN_LEN    43  /* 32 random bytes, base64url without padding */
#define SECRET_DIGEST_BYTES 32  /* what is stored of a token */
#define PASSWORD_MIN_LEN    10
#define PASSWORD_MAX_LEN    1024

int secret_init(void);

/* True when a password is acceptable to set: PASSWORD_MIN_LEN..MAX bytes,
 * not all of them blanks (spaces, tabs, no-break or ideographic spaces). */
bool secret_password_acceptable(const char *password);

/* argon2id hash string of a password (t = 2, m = 19 MiB: OWASP's
 * recommendation, small enough for a 64 MiB server). Returns 0 or -1. */
int secret_hash_password(const char *password, char out[SECRET_HASH_MAX + 1]);
/* True when password matches hash; constant time in the password. */
bool secret_verify_password(const char *hash, const char *password);

/* A fresh random token (sessions, API keys), NUL-terminated. */
void secret_token(char out[SECRET_TOKEN_LEN + 1]);
/* The stored form of a token: a keyless BLAKE2b-256 digest. Tokens carry 256
 * random bits, so a fast hash is safe; only the digest ever reaches disk. */
void secret_digest(const char *token, size_t len, uint8_t out[SECRET_DIGEST_BYTES]);
/* Constant-time comparison of n bytes. */
bool secret_equal(const void *a, const void *b, size_t n);

#endif
