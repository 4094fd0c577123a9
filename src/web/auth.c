/* Sign-in and sign-out, one's own password, and the start page of each
 * role. The sign-in form is protected against login CSRF by a pre-session
 * cookie (kaiku_pre, a random token set with the form) whose keyed digest
 * the form carries: another site can neither read the cookie nor compute
 * the token. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "http/field.h"
#include "http/session.h"
#include "http/signin.h"
#include "store/store.h"
#include "util/strutil.h"
#include "web/web.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#define WEB_AUTH_KEYS(X)             \
    X("page.signin.title")           \
    X("page.signin.username")        \
    X("page.signin.password")        \
    X("page.signin.submit")          \
    X("page.signin.failed")          \
    X("page.signin.ended")           \
    X("page.signin.out")             \
    X("page.signin.form_expired")    \
    X("page.password.title")         \
    X("page.password.old")           \
    X("page.password.new")           \
    X("page.password.hint")          \
    X("page.password.again")         \
    X("page.password.submit")        \
    X("page.password.wrong_old")     \
    X("page.password.weak")          \
    X("page.password.mismatch")      \
    X("page.password.done")          \
    X("page.start.title")            \
    X("page.start.lead")             \
    X("page.start.pages")            \
    X("page.start.tasks")            \
    X("page.start.later")            \
    X("page.start.task.national")    \
    X("page.start.task.coordinator") \
    X("page.start.task.distributor") \
    X("page.start.task.venue")       \
    X("page.boxoffice.title")        \
    X("page.desk.title")

#define KEY(k) k,
static const char *const auth_keys[] = {WEB_AUTH_KEYS(KEY)};
#undef KEY
const struct i18n_keys web_auth_keys = {auth_keys, ARRAY_LEN(auth_keys)};

#define PRE_TTL 3600 /* seconds the sign-in form's token lasts */

static const char *cookie_value(struct request *r, const char *name, const char *value,
                                int64_t max_age)
{
    char buf[200];
    snprintf(buf, sizeof buf, "%s=%s; HttpOnly; SameSite=Strict; Path=/; Max-Age=%lld%s", name,
             value, (long long)max_age, r->secure ? "; Secure" : "");
    return arena_strdup(&r->arena, buf);
}

static bool token_shaped(const char *t)
{
    if (!t || strlen(t) != SECRET_TOKEN_LEN)
        return false;
    for (const char *p = t; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '_'))
            return false;
    return true;
}

/* ---- sign-in ---- */

struct signin_view {
    const char *next;
    const char *username;
    const char *notice_kind, *notice; /* a message above the form, or NULL */
    const char *error;                /* the credentials were refused */
    int status;
};

static int signin_page(struct request *r, const struct signin_view *v)
{
    /* A fresh pre-session token with every form: its digest is the form's
     * token. */
    char pre[SECRET_TOKEN_LEN + 1], csrf[SECRET_TOKEN_LEN + 1];
    secret_token(pre);
    session_csrf(pre, csrf);
    int rc = reply_header(r, "Set-Cookie", cookie_value(r, WEB_PRE_COOKIE, pre, PRE_TTL));
    if (rc != 0)
        return rc;
    struct page p;
    page_begin(&p, r, i18n_text(r->lang, "page.signin.title"));
    const struct page_error errors[] = {{"password", v->error}};
    page_error_summary(&p, errors, v->error ? 1 : 0);
    page_heading(&p, i18n_text(p.lang, "page.signin.title"), NULL);
    if (v->notice)
        page_notice(&p, v->notice_kind, v->notice, NULL);
    html_raw(&p.h, "<form method=\"post\" action=\"/signin\" class=\"narrow\" "
                   "id=\"signin-form\" novalidate>");
    html_raw(&p.h, "<input type=\"hidden\"");
    html_attr(&p.h, "name", WEB_CSRF_FIELD);
    html_attr(&p.h, "value", csrf);
    html_raw(&p.h, ">");
    if (v->next && web_path_safe(v->next)) {
        html_raw(&p.h, "<input type=\"hidden\" name=\"next\"");
        html_attr(&p.h, "value", v->next);
        html_raw(&p.h, ">");
    }
    page_input(&p, &(struct page_field){.id = "username",
                                        .label = i18n_text(p.lang, "page.signin.username"),
                                        .value = v->username,
                                        .autocomplete = "username",
                                        .required = true,
                                        .autofocus = !v->error});
    page_input(&p, &(struct page_field){.id = "password",
                                        .label = i18n_text(p.lang, "page.signin.password"),
                                        .type = "password",
                                        .autocomplete = "current-password",
                                        .required = true,
                                        .error = v->error,
                                        .autofocus = v->error != NULL});
    html_raw(&p.h, "<button type=\"submit\" class=\"primary\" id=\"signin-submit\">");
    html_text(&p.h, i18n_text(p.lang, "page.signin.submit"));
    html_raw(&p.h, "</button></form>");
    return page_end(&p, v->status ? v->status : 200);
}

int web_signin_form(struct request *r)
{
    const char *next = req_query(r, "next");
    if (next && !web_path_safe(next))
        next = NULL;
    web_identify(r);
    if (r->authenticated && r->has_session)
        return web_redirect(r, next ? next : web_start_path(r->actor.role));
    struct signin_view v = {.next = next};
    if (req_query(r, "ended")) {
        v.notice_kind = "info";
        v.notice = i18n_text(r->lang, "page.signin.ended");
    } else if (req_query(r, "out")) {
        v.notice_kind = "ok";
        v.notice = i18n_text(r->lang, "page.signin.out");
    }
    return signin_page(r, &v);
}

int web_signin(struct request *r)
{
    const char *username = NULL, *password = NULL, *next = NULL, *csrf = NULL;
    int rc;
    if ((rc = field_text(r, "username", FIELD_EMPTY_OK, USERNAME_MAX, &username)) < 0 ||
        (rc = field_text(r, "password", FIELD_EMPTY_OK, PASSWORD_MAX_LEN, &password)) < 0 ||
        (rc = field_text(r, "next", 0, WEB_PATH_MAX, &next)) < 0 ||
        (rc = field_text(r, WEB_CSRF_FIELD, 0, SECRET_TOKEN_LEN, &csrf)) < 0)
        return rc;
    /* A field left out of the form reads as NULL (http/field.h): here, as empty. */
    username = username ? username : "";
    password = password ? password : "";
    if (next && !web_path_safe(next))
        next = NULL;
    /* Login CSRF: the form's token must be the digest of this browser's
     * pre-session cookie. */
    const char *pre = r->cookies[WEB_COOKIE_PRE];
    char expected[SECRET_TOKEN_LEN + 1];
    if (token_shaped(pre))
        session_csrf(pre, expected);
    if (!token_shaped(pre) || !csrf || strlen(csrf) != SECRET_TOKEN_LEN ||
        !secret_equal(csrf, expected, SECRET_TOKEN_LEN))
        return signin_page(
            r, &(struct signin_view){.next = next,
                                     .username = username,
                                     .notice_kind = "warn",
                                     .notice = i18n_text(r->lang, "page.signin.form_expired"),
                                     .status = 403});

    struct user u;
    rc = signin_check(r, username, password, &u); /* throttled, as the API's sign-in */
    if (rc != 0 && rc != -ERR_UNAUTHENTICATED)
        return rc;
    if (rc != 0)
        return signin_page(r,
                           &(struct signin_view){.next = next,
                                                 .username = username,
                                                 .error = i18n_text(r->lang, "page.signin.failed"),
                                                 .status = 401});

    char token[SECRET_TOKEN_LEN + 1];
    uint8_t digest[SECRET_DIGEST_BYTES];
    secret_token(token);
    secret_digest(token, strlen(token), digest);
    if ((rc = store_session_add(r->store, digest, u.username, r->actor.now,
                                r->actor.now + SESSION_TTL)) != 0)
        return rc;
    rc = reply_header(r, "Set-Cookie", session_cookie(r, token, SESSION_TTL));
    sodium_memzero(token, sizeof token);
    if (rc != 0 ||
        (rc = reply_header(r, "Set-Cookie", cookie_value(r, WEB_PRE_COOKIE, "", 0))) != 0)
        return rc;
    return web_redirect(r, next ? next : web_start_path(u.role));
}

int web_signout(struct request *r)
{
    if (r->has_session) {
        int rc = store_session_delete(r->store, r->session_hash);
        session_forget(r->session_hash);
        if (rc != 0 && rc != -ERR_NOT_FOUND)
            return rc;
    }
    int rc = reply_header(r, "Set-Cookie", session_cookie(r, "", 0));
    if (rc != 0)
        return rc;
    return web_redirect(r, "/signin?out=1");
}

/* ---- one's own password ---- */

struct password_view {
    const char *old_error, *new_error, *again_error;
    bool done;
    int status;
};

static int password_page(struct request *r, const struct password_view *v)
{
    struct page p;
    page_begin(&p, r, i18n_text(r->lang, "page.password.title"));
    struct page_error errors[3];
    size_t n = 0;
    if (v->old_error)
        errors[n++] = (struct page_error){"old", v->old_error};
    if (v->new_error)
        errors[n++] = (struct page_error){"new", v->new_error};
    if (v->again_error)
        errors[n++] = (struct page_error){"again", v->again_error};
    page_error_summary(&p, errors, n);
    page_heading(&p, i18n_text(p.lang, "page.password.title"), NULL);
    if (v->done)
        page_notice(&p, "ok", i18n_text(p.lang, "page.password.done"), NULL);
    html_raw(&p.h, "<form method=\"post\" action=\"/password\" class=\"narrow\" "
                   "id=\"password-form\" novalidate>");
    page_csrf_field(&p);
    page_input(&p, &(struct page_field){.id = "old",
                                        .label = i18n_text(p.lang, "page.password.old"),
                                        .type = "password",
                                        .autocomplete = "current-password",
                                        .required = true,
                                        .error = v->old_error,
                                        .autofocus = !v->done});
    page_input(&p, &(struct page_field){.id = "new",
                                        .label = i18n_text(p.lang, "page.password.new"),
                                        .hint = i18n_text(p.lang, "page.password.hint"),
                                        .type = "password",
                                        .autocomplete = "new-password",
                                        .required = true,
                                        .error = v->new_error});
    page_input(&p, &(struct page_field){.id = "again",
                                        .label = i18n_text(p.lang, "page.password.again"),
                                        .type = "password",
                                        .autocomplete = "new-password",
                                        .required = true,
                                        .error = v->again_error});
    html_raw(&p.h, "<button type=\"submit\" class=\"primary\" id=\"password-submit\">");
    html_text(&p.h, i18n_text(p.lang, "page.password.submit"));
    html_raw(&p.h, "</button></form>");
    return page_end(&p, v->status ? v->status : 200);
}

int web_password_form(struct request *r)
{
    return password_page(r, &(struct password_view){0});
}

int web_password(struct request *r)
{
    const char *old_pw = NULL, *new_pw = NULL, *again = NULL;
    int rc;
    if ((rc = field_text(r, "old", FIELD_EMPTY_OK, PASSWORD_MAX_LEN, &old_pw)) < 0 ||
        (rc = field_text(r, "new", FIELD_EMPTY_OK, PASSWORD_MAX_LEN, &new_pw)) < 0 ||
        (rc = field_text(r, "again", FIELD_EMPTY_OK, PASSWORD_MAX_LEN, &again)) < 0)
        return rc;
    /* A field left out of the form reads as NULL (http/field.h): here, as empty
     * (found by tests/fuzz/fuzz_pipeline.c: a NULL reached strlen). */
    old_pw = old_pw ? old_pw : "";
    new_pw = new_pw ? new_pw : "";
    again = again ? again : "";
    struct password_view v = {.status = 422};
    if (!secret_password_acceptable(new_pw))
        v.new_error = i18n_text(r->lang, "page.password.weak");
    else if (strcmp(new_pw, again) != 0)
        v.again_error = i18n_text(r->lang, "page.password.mismatch");
    struct user u;
    char hash[PASSWORD_HASH_MAX + 1];
    if ((rc = store_user_get(r->store, r->actor.user, &u, hash)) != 0)
        return rc;
    if ((rc = signin_hash_begin()) != 0) { /* argon2id: a bounded number at once */
        sodium_memzero(hash, sizeof hash);
        return rc;
    }
    bool ok = secret_verify_password(hash, old_pw);
    sodium_memzero(hash, sizeof hash);
    bool hashed = ok && !v.new_error && !v.again_error && secret_hash_password(new_pw, hash) == 0;
    signin_hash_end();
    if (!ok)
        v.old_error = i18n_text(r->lang, "page.password.wrong_old");
    if (v.old_error || v.new_error || v.again_error)
        return password_page(r, &v);
    if (!hashed)
        return -ERR_INTERNAL;
    rc = store_user_set_password(r->store, &r->actor, r->actor.user, hash, r->session_hash);
    sodium_memzero(hash, sizeof hash);
    if (rc != 0)
        return rc;
    session_forget_all(); /* the user's other sessions have ended */
    return password_page(r, &(struct password_view){.done = true});
}

/* ---- start pages ---- */

static const char *const task_keys[ROLE_COUNT] = {
    [ROLE_NATIONAL] = "page.start.task.national",
    [ROLE_COORDINATOR] = "page.start.task.coordinator",
    [ROLE_DISTRIBUTOR] = "page.start.task.distributor",
    [ROLE_VENUE] = "page.start.task.venue",
};

/* The pages a role works on, each listed once it exists. */
static const struct {
    unsigned roles;
    const char *path, *key;
} role_pages[] = {
    {R_VENUE, "/box-office", "page.boxoffice.title"},
    {R_VENUE, "/venue", "page.venue.title"},
    {R_DISTRIBUTOR, "/desk", "page.desk.title"},
};

int web_start(struct request *r)
{
    struct page p;
    page_begin(&p, r, i18n_text(r->lang, "page.start.title"));
    page_heading(&p, i18n_text(p.lang, "page.start.title"), i18n_text(p.lang, "page.start.lead"));
    html_raw(&p.h, "<h2>");
    html_text(&p.h, i18n_text(p.lang, "page.start.pages"));
    html_raw(&p.h, "</h2><ul class=\"links\" id=\"start-pages\">");
    for (size_t i = 0; i < ARRAY_LEN(role_pages); i++) {
        if (!(role_pages[i].roles & ROLE_BIT(r->actor.role)) ||
            !web_page_exists(role_pages[i].path))
            continue;
        html_raw(&p.h, "<li><a");
        html_href(&p.h, "href", role_pages[i].path);
        html_raw(&p.h, ">");
        html_text(&p.h, i18n_text(p.lang, role_pages[i].key));
        html_raw(&p.h, "</a></li>");
    }
    html_raw(&p.h, "<li><a href=\"/password\">");
    html_text(&p.h, i18n_text(p.lang, "page.password.title"));
    html_raw(&p.h, "</a></li></ul><h2>");
    html_text(&p.h, i18n_text(p.lang, "page.start.tasks"));
    html_raw(&p.h, "</h2><p>");
    html_text(&p.h, i18n_text(p.lang, task_keys[r->actor.role]));
    html_raw(&p.h, "</p><p>");
    html_text(&p.h, i18n_text(p.lang, "page.start.later"));
    html_raw(&p.h, "</p>");
    return page_end(&p, 200);
}
