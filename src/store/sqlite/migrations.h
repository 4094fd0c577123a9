/* The numbered SQL migrations, embedded at build time (see
 * cmake/embed_migrations.cmake). Migration i brings the schema to version
 * i + 1; `PRAGMA user_version` (SQLite) records how far a database is. */
#ifndef KAIKU_STORE_MIGRATIONS_H
#define KAIKU_STORE_MIGRATIONS_H

struct migration {
    const char *name; /* file name, e.g. "001_init.sql" */
    const char *sql;  /* the whole file, NUL-terminated */
};

extern const struct migration migrations[];
extern const int migrations_count;

#endif
