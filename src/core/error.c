#include "core/error.h"

#include <stddef.h>

#include "util/strutil.h"

static const struct {
    const char *code;
    int status;
} table[ERR_COUNT] = {[ERR_NONE] = {"ok", 200},
#define X(name, c, s) [ERR_##name] = {c, s},
                      KAIKU_ERRORS(X)
#undef X
};

/* The catalogue key of each message: "error." and the code. Its texts in
 * fi, sv and en are in po/LANG.po. */
static const char *const message_keys[ERR_COUNT] = {[ERR_NONE] = "error.ok",
#define X(name, c, s) [ERR_##name] = "error." c,
                                                    KAIKU_ERRORS(X)
#undef X
};

const struct i18n_keys error_keys = {message_keys, ERR_COUNT};

static int index_of(int err)
{
    if (err < 0)
        err = -err;
    return err < ERR_COUNT ? err : ERR_INTERNAL;
}

const char *error_code(int err)
{
    return table[index_of(err)].code;
}

int error_status(int err)
{
    return table[index_of(err)].status;
}

const char *error_message(int err, enum lang lang)
{
    return i18n_text(lang, message_keys[index_of(err)]);
}

int error_field(struct error_details *d, int err, const char *field)
{
    if (d)
        d->field = field;
    return -err;
}

int error_value(struct error_details *d, int err, const char *key, int64_t value, int is_time)
{
    if (d) {
        d->key = key;
        d->value = value;
        d->value_is_time = is_time;
    }
    return -err;
}

int error_text(struct error_details *d, int err, const char *key, const char *text)
{
    if (d) {
        d->key = key;
        str_copy(d->text, sizeof d->text, text);
    }
    return -err;
}
