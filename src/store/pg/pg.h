/* The PostgreSQL backend's own pieces: its SQL text per named statement
 * (sql.c) and its migrations (migrations/NNN_*.sql, embedded at build
 * time) for its connection handling (backend.c). */
#ifndef KAIKU_STORE_PG_PG_H
#define KAIKU_STORE_PG_PG_H

#include "store/sqlite/migrations.h"
#include "store/stmt.h"

extern const char *const pg_sql[STMT_COUNT];
extern const struct migration pg_migrations[];
extern const int pg_migrations_count;

#endif
