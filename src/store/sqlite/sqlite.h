/* The SQLite backend's own pieces: its SQL text per named statement
 * (sql.c) for its connection handling (backend.c). */
#ifndef KAIKU_STORE_SQLITE_SQLITE_H
#define KAIKU_STORE_SQLITE_SQLITE_H

#include <stdbool.h>

#include "store/stmt.h"

extern const char *const sqlite_sql[STMT_COUNT];
extern const bool sqlite_returns_rowid[STMT_COUNT];

#endif
