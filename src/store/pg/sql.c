/* The PostgreSQL text of every named statement of stmt.h, which gives each
 * one's arguments and columns: the SQLite text of src/store/sqlite/sql.c
 * translated, in the same order, so that the two read side by side. The
 * differences: $n for ?n; "user" quoted (a reserved word); IS NOT DISTINCT
 * FROM for SQLite's IS between columns; booleans summed as integers;
 * greatest/least for two-argument max/min; months and Finnish days from
 * PostgreSQL's dates and time zones; every subquery in FROM named; and
 * RETURNING id where SQLite hands over the last rowid. */
#include "store/pg/pg.h"

/* A card's handout day and validity are on its row (migration 003). */
#define CARD_COLS                                                        \
    "c.code, c.kind, c.unit, u.region, c.handed_out_on, c.valid_until, " \
    "(c.cancelled_at IS NOT NULL)::int, c.live_uses"
#define CARD_FROM " FROM cards c JOIN units u ON u.id = c.unit"
#define EVENT_COLS                                                                     \
    "e.id, e.venue, coalesce(v.region, ''), e.name, e.kind, e.starts_at, e.capacity, " \
    "coalesce(e.cap, -1), e.guest_producer, coalesce(e.booking_opens_days, -1), "      \
    "coalesce(e.collection_opens_minutes, -1), e.excluded, e.exclusion_reason, e.used"
#define EVENT_FROM " FROM events e JOIN venues v ON v.id = e.venue"
#define SERIES_COLS                                                                              \
    "s.id, s.venue, s.event_name, s.weekdays, s.opens_at, s.first_day, s.last_day, s.capacity, " \
    "coalesce(s.cap, -1), coalesce(s.closed_at, 0), "                                            \
    "(SELECT count(*) FROM events e WHERE e.series = s.id)"
#define USE_COLS                                                                       \
    "s.id, s.card, s.event, s.adult, s.child, s.companion, s.channel, s.recorded_by, " \
    "s.recorded_at, coalesce(s.undone_by, ''), coalesce(s.undone_at, 0)"
#define TRANSFER_COLS                                                                   \
    "t.id, t.from_unit, t.to_unit, uf.region, t.status, "                               \
    "(SELECT count(*) FROM transfer_cards k WHERE k.transfer = t.id), t.requested_by, " \
    "t.requested_at, coalesce(t.decided_by, ''), coalesce(t.decided_at, 0), ut.region"
#define TRANSFER_FROM \
    " FROM transfers t JOIN units uf ON uf.id = t.from_unit JOIN units ut ON ut.id = t.to_unit"
/* A user and the place of their scope: (region, unit, venue) for R32. */
#define USER_COLS                                                                     \
    "us.username, us.role, coalesce(us.region, us.unit, us.venue, ''), us.disabled, " \
    "coalesce(us.region, un.region, vn.region, ''), coalesce(us.unit, ''), "          \
    "coalesce(us.venue, ''), us.password_hash"
#define USER_FROM \
    " FROM users us LEFT JOIN units un ON un.id = us.unit LEFT JOIN venues vn ON vn.id = us.venue"

/* Personal handouts by the units of a region ($1; NULL: every region) on
 * days [$2, $3], for the cardholder report (R30). */
#define HANDOUTS_OF                                                                   \
    " FROM handouts h JOIN cards c ON c.code = h.card JOIN units u ON u.id = h.unit " \
    "WHERE c.kind = 'personal' AND ($1::text IS NULL OR u.region = $1) "              \
    "AND h.handed_out_on BETWEEN $2 AND $3 AND h.recorded_at < $4"
/* R31, per region: $1..$2 the year's days, $3 today, $4..$5 the year's
 * instants [start, end). Cards count in the region of their unit; events,
 * uses and venues in that of their venue, so pop-up venues (region NULL)
 * get a row of their own. Each CTE is keyed by region and joined with IS,
 * which matches NULL to NULL. FIG_USED_ONCE is counted apart (reports.c). */
#define NATIONAL_SQL                                                                               \
    "WITH places(region, name) AS (SELECT id, name FROM regions UNION ALL SELECT NULL, NULL), "    \
    "bycard AS (SELECT c.unit, sum((c.handed_out_on IS NULL AND c.cancelled_at IS NULL)::int) AS " \
    "stock, "                                                                                      \
    "  sum((c.cancelled_at IS NULL AND $3 BETWEEN c.handed_out_on AND c.valid_until)::int) AS "    \
    "valid, "                                                                                      \
    "  sum((c.cancelled_at >= $4 AND c.cancelled_at < $5)::int) AS cancelled FROM cards c "        \
    "  GROUP BY c.unit), "                                                                         \
    "cardfig AS (SELECT u.region, sum(b.stock) AS stock, sum(b.valid) AS valid, "                  \
    "  sum(b.cancelled) AS cancelled FROM bycard b JOIN units u ON u.id = b.unit "                 \
    "  GROUP BY u.region), "                                                                       \
    "handed AS (SELECT u.region, count(*) AS n, count(h.renews) AS renewals "                      \
    "  FROM handouts h JOIN units u ON u.id = h.unit "                                             \
    "  WHERE h.handed_out_on BETWEEN $1 AND $2 GROUP BY u.region), "                               \
    "used AS (SELECT v.region, count(*) AS n, sum(s.adult) AS adult, sum(s.child) AS child, "      \
    "  sum(s.companion) AS companion FROM uses s JOIN events e ON e.id = s.event "                 \
    "  JOIN venues v ON v.id = e.venue WHERE s.undone_at IS NULL "                                 \
    "  AND e.starts_at >= $4 AND e.starts_at < $5 GROUP BY v.region), "                            \
    "ev AS (SELECT v.region, count(*) AS n FROM events e JOIN venues v ON v.id = e.venue "         \
    "  WHERE e.starts_at >= $4 AND e.starts_at < $5 GROUP BY v.region), "                          \
    "vn AS (SELECT region, count(*) AS n FROM venues GROUP BY region), "                           \
    "un AS (SELECT region, count(*) AS n FROM units GROUP BY region) "                             \
    "SELECT coalesce(p.region, ''), coalesce(p.name, ''), coalesce(cardfig.stock, 0), "            \
    "coalesce(handed.n, 0), coalesce(cardfig.valid, 0), coalesce(cardfig.cancelled, 0), "          \
    "coalesce(handed.renewals, 0), coalesce(used.n, 0), coalesce(used.adult, 0), "                 \
    "coalesce(used.child, 0), coalesce(used.companion, 0), 0, "                                    \
    "coalesce(vn.n, 0), coalesce(un.n, 0), coalesce(ev.n, 0) FROM places p "                       \
    "LEFT JOIN cardfig ON cardfig.region IS NOT DISTINCT FROM p.region "                           \
    "LEFT JOIN handed ON handed.region IS NOT DISTINCT FROM p.region "                             \
    "LEFT JOIN used ON used.region IS NOT DISTINCT FROM p.region LEFT JOIN ev ON ev.region IS "    \
    "NOT DISTINCT FROM p.region "                                                                  \
    "LEFT JOIN vn ON vn.region IS NOT DISTINCT FROM p.region LEFT JOIN un ON un.region IS NOT "    \
    "DISTINCT FROM p.region "                                                                      \
    "ORDER BY p.region IS NULL, p.region"

/* ---- kept counts (issue 16): migration 008 fills them with the same text ---- */

/* The first day of the month of day number d. */
#define MONTH_OF(d) \
    "(date_trunc('month', DATE '1970-01-01' + (" d ")::int)::date - DATE '1970-01-01')"
/* The Finnish day of instant t (src/util/date.c computes the same from the
 * EU rule; PostgreSQL from its time zone data). */
#define HKI_DAY(t) \
    "((to_timestamp(" t ") AT TIME ZONE 'Europe/Helsinki')::date - DATE '1970-01-01')"
/* The year of day number d. */
#define YEAR_OF(d) "extract(year FROM DATE '1970-01-01' + (" d ")::int)::int"

/* The cardholder report's breakdowns (R30) of the personal handouts for
 * which `where` holds, as counts_background keys them: region, month, dim,
 * key, text, n. */
#define BACKGROUND_OF(where)                                                                       \
    "SELECT p.region AS region, p.month AS month, d.dim AS dim, "                                  \
    "CASE d.dim WHEN 1 THEN coalesce(p.birth_year, 0) "                                            \
    "WHEN 5 THEN coalesce(p.life_situations, 0) ELSE 0 END AS key, "                               \
    "CASE d.dim WHEN 2 THEN coalesce(p.mother_tongue, '') WHEN 3 THEN coalesce(p.gender, '') "     \
    "WHEN 4 THEN coalesce(p.postal_code, '') ELSE '' END AS text, count(*) AS n "                  \
    "FROM (SELECT u.region AS region, " MONTH_OF(                                                  \
        "h.handed_out_on") " AS month, "                                                           \
                           "h.birth_year, h.mother_tongue, h.gender, h.postal_code, "              \
                           "h.life_situations "                                                    \
                           "FROM handouts h JOIN cards c ON c.code = h.card JOIN units u ON u.id " \
                           "= h.unit "                                                             \
                           "WHERE c.kind = 'personal' AND " where ") p "                           \
                           "CROSS JOIN (VALUES (1), (2), (3), (4), (5)) d (dim) GROUP BY 1, 2, "   \
                           "3, 4, 5"

/* The uses of the events that start before $1 (an instant): what a purge
 * (R35) deletes. */
#define PURGED_USES " FROM uses s JOIN events e ON e.id = s.event WHERE e.starts_at < $1"

/* R31 from the kept counts: $1..$2 the year's days (whole months), $3
 * today, $4..$5 the year's instants. The shape of NATIONAL_SQL. */
#define NATIONAL_KEPT_SQL                                                                       \
    "WITH places(region, name) AS (SELECT id, name FROM regions UNION ALL SELECT NULL, NULL), " \
    "valid AS (SELECT region, sum(n) AS n FROM counts_valid "                                   \
    "  WHERE $3 BETWEEN handed_out_on AND valid_until GROUP BY region), "                       \
    "months AS (SELECT region, sum(handed_out) AS handed, sum(renewals) AS renewals, "          \
    "  sum(cancelled) AS cancelled, sum(used_once) AS used_once FROM counts_cards "             \
    "  WHERE month BETWEEN $1 AND $2 GROUP BY region), "                                        \
    "ev AS (SELECT v.region, count(*) AS n, sum(e.n_uses) AS uses, sum(e.n_adult) AS adult, "   \
    "  sum(e.n_child) AS child, sum(e.n_companion) AS companion "                               \
    "  FROM events e JOIN venues v ON v.id = e.venue "                                          \
    "  WHERE e.starts_at >= $4 AND e.starts_at < $5 GROUP BY v.region), "                       \
    "vn AS (SELECT region, count(*) AS n FROM venues GROUP BY region), "                        \
    "un AS (SELECT region, count(*) AS n FROM units GROUP BY region) "                          \
    "SELECT coalesce(p.region, ''), coalesce(p.name, ''), coalesce(st.n, 0), "                  \
    "coalesce(months.handed, 0), coalesce(valid.n, 0), coalesce(months.cancelled, 0), "         \
    "coalesce(months.renewals, 0), coalesce(ev.uses, 0), coalesce(ev.adult, 0), "               \
    "coalesce(ev.child, 0), coalesce(ev.companion, 0), coalesce(months.used_once, 0), "         \
    "coalesce(vn.n, 0), coalesce(un.n, 0), coalesce(ev.n, 0) FROM places p "                    \
    "LEFT JOIN counts_stock st ON st.region IS NOT DISTINCT FROM p.region "                     \
    "LEFT JOIN valid ON valid.region IS NOT DISTINCT FROM p.region LEFT JOIN months ON "        \
    "months.region IS NOT DISTINCT FROM p.region "                                              \
    "LEFT JOIN ev ON ev.region IS NOT DISTINCT FROM p.region "                                  \
    "LEFT JOIN vn ON vn.region IS NOT DISTINCT FROM p.region LEFT JOIN un ON un.region IS NOT " \
    "DISTINCT FROM p.region "                                                                   \
    "ORDER BY p.region IS NULL, p.region"

/* R30 from the kept counts: the personal handouts of the units of a region
 * ($1; NULL: all) in the months [$2, $3]. */
#define HANDOUTS_KEPT_OF                                            \
    " FROM counts_handouts k WHERE ($1::text IS NULL OR k.unit IN " \
    "(SELECT id FROM units WHERE region = $1)) AND k.month BETWEEN $2 AND $3"

/* A table copied whole: its columns, read in key order and written back
 * (ids included: the identity columns are BY DEFAULT). */
#define COPY(t, cols, key, params)                                     \
    [S_COPY_##t##_READ] = "SELECT " cols " FROM " #t " ORDER BY " key, \
    [S_COPY_##t##_WRITE] = "INSERT INTO " #t " (" cols ") VALUES (" params ")"

/* The identity sequence of table t set so that its next id follows the
 * greatest it holds. */
#define NEXT_ID(t)                                                            \
    "setval(pg_get_serial_sequence('" t "', 'id'), coalesce((SELECT max(id) " \
    "FROM " t "), 0) + 1, false)"

const char *const pg_sql[STMT_COUNT] = {
    [S_AUDIT_ADD] = "INSERT INTO audit (at, \"user\", action, object, client_ip, region) "
                    "VALUES ($1, $2, $3, $4, $5, $6)",
    [S_AUDIT_LIST] = "SELECT id, at, \"user\", action, object, client_ip, coalesce(region, '') "
                     "FROM audit WHERE ($1 = 0 OR at >= $1) AND ($2 = 0 OR at < $2) "
                     "AND ($3::text IS NULL OR region = $3) AND id > $4 ORDER BY id",
    [S_PLACE_REGION] = "SELECT id, '', '' FROM regions WHERE id = $1",
    [S_PLACE_UNIT] = "SELECT region, id, '' FROM units WHERE id = $1",
    [S_PLACE_VENUE] = "SELECT coalesce(region, ''), '', id FROM venues WHERE id = $1",
    [S_REGION_ADD] = "INSERT INTO regions (id, name, pilot_ends_on) VALUES ($1, $2, $3)",
    [S_REGION_GET] = "SELECT id, name, coalesce(pilot_ends_on, -1) FROM regions WHERE id = $1",
    [S_REGION_LIST] = "SELECT id, name, coalesce(pilot_ends_on, -1) FROM regions ORDER BY id",
    [S_UNIT_ADD] = "INSERT INTO units (id, region, name) VALUES ($1, $2, $3)",
    [S_UNIT_GET] = "SELECT id, region, name FROM units WHERE id = $1",
    [S_UNIT_LIST] = "SELECT id, region, name FROM units WHERE ($1 = '' OR region = $1) ORDER BY id",
    [S_VENUE_ADD] = "INSERT INTO venues (id, region, name, category, accessibility, "
                    "free_cloakroom) VALUES ($1, $2, $3, $4, $5, $6)",
    [S_VENUE_GET] = "SELECT id, coalesce(region, ''), name, category, accessibility, "
                    "free_cloakroom, accessibility_sv, accessibility_en FROM venues WHERE id = $1",
    [S_VENUE_LIST] = "SELECT id, coalesce(region, ''), name, category, accessibility, "
                     "free_cloakroom, accessibility_sv, accessibility_en FROM venues "
                     "WHERE ($1 = '' OR region = $1) ORDER BY id",
    [S_SERIES_ADD] = "INSERT INTO series (venue, event_name, weekdays, opens_at, first_day, "
                     "last_day, capacity, cap, created_by, created_at) "
                     "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    [S_SERIES_GET] = "SELECT " SERIES_COLS " FROM series s WHERE s.id = $1",
    [S_SERIES_LIST] = "SELECT " SERIES_COLS " FROM series s WHERE s.venue = $1 ORDER BY s.id DESC",
    [S_SERIES_SET_LAST] = "UPDATE series SET last_day = $1 WHERE id = $2",
    [S_SERIES_CLOSE] =
        "UPDATE series SET closed_at = $1, last_day = greatest(first_day, least(last_day, "
        "$2)) WHERE id = $3",
    [S_EVENT_SET_SERIES] = "UPDATE events SET series = $1 WHERE id = $2",
    [S_EVENT_LIST_SERIES] = "SELECT " EVENT_COLS EVENT_FROM " WHERE e.series = $1 "
                            "ORDER BY e.starts_at, e.id",
    [S_SERIES_DROP_DAYS] = "DELETE FROM events WHERE series = $1 AND starts_at >= $2 "
                           "AND NOT EXISTS (SELECT 1 FROM uses u WHERE u.event = events.id) "
                           "AND NOT EXISTS (SELECT 1 FROM purged_event_uses p "
                           "WHERE p.event = events.id) RETURNING id",
    [S_VENUE_SET] = "UPDATE venues SET name = $2, category = $3, accessibility = $4, "
                    "accessibility_sv = $5, accessibility_en = $6, free_cloakroom = $7 "
                    "WHERE id = $1",
    [S_USER_ADD] = "INSERT INTO users (username, password_hash, role, region, unit, venue, "
                   "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    [S_USER_GET] = "SELECT " USER_COLS USER_FROM " WHERE us.username = $1",
    [S_USER_LIST] = "SELECT " USER_COLS USER_FROM " ORDER BY us.username",
    [S_USER_DISABLE] = "UPDATE users SET disabled = 1 WHERE username = $1",
    [S_USER_SET_HASH] = "UPDATE users SET password_hash = $1 WHERE username = $2",
    [S_SESSION_ADD] = "INSERT INTO sessions (token_hash, username, created_at, expires_at) "
                      "VALUES ($1, $2, $3, $4)",
    [S_SESSION_GET] = "SELECT " USER_COLS ", se.expires_at" USER_FROM
                      " JOIN sessions se ON se.username = us.username "
                      "WHERE se.token_hash = $1 AND se.expires_at > $2 AND us.disabled = 0",
    [S_SESSION_DELETE] = "DELETE FROM sessions WHERE token_hash = $1",
    [S_SESSIONS_PURGE] = "DELETE FROM sessions WHERE username = $1 AND expires_at <= $2",
    [S_SESSIONS_END] = "DELETE FROM sessions WHERE username = $1 "
                       "AND ($2::bytea IS NULL OR token_hash <> $2)",
    [S_API_KEY_ADD] = "INSERT INTO api_keys (venue, label, key_hash, created_by, created_at) "
                      "VALUES ($1, $2, $3, $4, $5) RETURNING id",
    [S_API_KEY_LIST] = "SELECT id, venue, label, created_at FROM api_keys "
                       "WHERE venue = $1 AND revoked_at IS NULL ORDER BY id",
    [S_API_KEY_REVOKE] = "UPDATE api_keys SET revoked_at = $1 "
                         "WHERE id = $2 AND venue = $3 AND revoked_at IS NULL RETURNING id",
    [S_API_KEY_FIND] = "SELECT id, venue, label, created_at FROM api_keys "
                       "WHERE key_hash = $1 AND revoked_at IS NULL",
    [S_CARD_GET] = "SELECT " CARD_COLS CARD_FROM " WHERE c.code = $1",
    [S_STOCK_LIST] = "SELECT " CARD_COLS CARD_FROM " WHERE c.unit = $1 AND c.handed_out_on IS NULL "
                     "AND c.cancelled_at IS NULL ORDER BY c.code",
    [S_HANDOUT_LIST] = "SELECT " CARD_COLS CARD_FROM " JOIN handouts h ON h.card = c.code "
                       "WHERE h.unit = $1 ORDER BY h.recorded_at DESC, h.card DESC LIMIT $2",
    [S_CARD_EXISTS] = "SELECT 1 FROM cards WHERE code = $1",
    [S_CARD_ADD] = "INSERT INTO cards (code, kind, unit, added_at) VALUES ($1, $2, $3, $4)",
    [S_CARD_CANCEL] = "UPDATE cards SET cancelled_at = $1, cancel_reason = $2 WHERE code = $3",
    [S_HANDOUT_ADD] = "INSERT INTO handouts (card, unit, handed_out_on, valid_until, "
                      "birth_year, mother_tongue, gender, postal_code, life_situations, "
                      "renews, recorded_by, recorded_at) "
                      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    [S_TRANSFER_ADD] = "INSERT INTO transfers (from_unit, to_unit, requested_by, requested_at) "
                       "VALUES ($1, $2, $3, $4) RETURNING id",
    [S_TRANSFER_CARD_ADD] = "INSERT INTO transfer_cards (transfer, card) VALUES ($1, $2)",
    [S_TRANSFER_GET] = "SELECT " TRANSFER_COLS TRANSFER_FROM " WHERE t.id = $1",
    [S_TRANSFER_LIST] = "SELECT " TRANSFER_COLS TRANSFER_FROM
                        " WHERE ($1::text IS NULL OR t.status = $1) ORDER BY t.id",
    [S_TRANSFER_CARDS] = "SELECT " CARD_COLS CARD_FROM " JOIN transfer_cards k ON k.card = c.code "
                         "WHERE k.transfer = $1 ORDER BY c.code",
    [S_TRANSFER_MOVE] = "UPDATE cards SET unit = $1 "
                        "WHERE code IN (SELECT card FROM transfer_cards WHERE transfer = $2)",
    [S_TRANSFER_SET] = "UPDATE transfers SET status = $1, decided_by = $2, decided_at = $3 "
                       "WHERE id = $4",
    [S_EVENT_ADD] =
        "INSERT INTO events (venue, name, kind, starts_at, capacity, cap, "
        "guest_producer, booking_opens_days, collection_opens_minutes, excluded, "
        "exclusion_reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    [S_EVENT_GET] = "SELECT " EVENT_COLS EVENT_FROM " WHERE e.id = $1",
    /* R16: the event's row is locked until the write transaction ends. */
    [S_EVENT_LOCK] = "SELECT " EVENT_COLS EVENT_FROM " WHERE e.id = $1 FOR UPDATE OF e",
    [S_EVENT_SET] = "UPDATE events SET name = $1, kind = $2, starts_at = $3, capacity = $4, "
                    "cap = $5, guest_producer = $6, booking_opens_days = $7, "
                    "collection_opens_minutes = $8, excluded = $9, exclusion_reason = $10 "
                    "WHERE id = $11",
    [S_EVENT_LIST] = "SELECT " EVENT_COLS EVENT_FROM
                     " WHERE ($1::text IS NULL OR e.venue = $1) AND ($2 = 0 OR e.starts_at >= $2) "
                     "AND ($3 = 0 OR e.starts_at < $3) ORDER BY e.starts_at, e.id",
    /* events_venue_start: the venue's events in start order, from $2 on */
    [S_EVENT_LIST_VENUE] =
        "SELECT " EVENT_COLS EVENT_FROM " WHERE e.venue = $1 AND e.starts_at >= $2 "
        "AND ($3 = 0 OR e.starts_at < $3) ORDER BY e.starts_at, e.id",
    [S_EVENT_ADD_USED] = "UPDATE events SET used = used + $1 WHERE id = $2",
    [S_USE_BY_KEY] = "SELECT " USE_COLS " FROM uses s "
                     "WHERE s.recorded_by = $1 AND s.idempotency_key = $2",
    [S_USE_ADULT] = "SELECT 1 FROM uses "
                    "WHERE card = $1 AND event = $2 AND adult > 0 AND undone_at IS NULL",
    [S_USE_ADD] = "INSERT INTO uses (card, event, adult, child, companion, channel, "
                  "recorded_by, recorded_at, idempotency_key) "
                  "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    [S_USE_GET] = "SELECT " USE_COLS " FROM uses s WHERE s.id = $1",
    [S_USE_UNDO] = "UPDATE uses SET undone_by = $1, undone_at = $2 "
                   "WHERE id = $3 AND undone_at IS NULL RETURNING id",
    [S_USE_LIST] = "SELECT " USE_COLS ", e.venue, e.name, e.starts_at, coalesce(v.region, '') "
                   "FROM uses s JOIN events e ON e.id = s.event JOIN venues v ON v.id = e.venue "
                   "WHERE ($1::text IS NULL OR e.venue = $1) AND ($2 = 0 OR s.event = $2) "
                   "AND ($3::bigint IS NULL OR e.starts_at >= $3) AND ($4::bigint IS NULL OR "
                   "e.starts_at < $4) "
                   "AND s.id > $5 AND ($6::text IS NULL OR v.region = $6) ORDER BY s.id",
    /* events_venue_start, then uses_event: only the venue's events in the
     * range and their uses, sorted by id (USE_LIST walks every use by id) */
    [S_USE_LIST_VENUE] =
        "SELECT " USE_COLS ", e.venue, e.name, e.starts_at, coalesce(v.region, '') "
        "FROM events e JOIN uses s ON s.event = e.id "
        "JOIN venues v ON v.id = e.venue "
        "WHERE e.venue = $1 AND e.starts_at >= $3 AND ($4::bigint IS NULL OR e.starts_at < $4) "
        "AND ($2 = 0 OR s.event = $2) AND s.id > $5 "
        "AND ($6::text IS NULL OR v.region = $6) ORDER BY s.id",
    /* R35: an event's purged uses are one row without a card, their kept
     * counts, before the uses still recorded (s.id > 0) */
    [S_REPORT_VENUE_USAGE] =
        "SELECT s.card, s.adult, s.child, e.name, e.starts_at, e.id, s.id FROM uses s "
        "JOIN events e ON e.id = s.event WHERE e.venue = $1 AND s.undone_at IS NULL "
        "AND e.starts_at >= $2 AND e.starts_at < $3 "
        "UNION ALL SELECT '', p.n_adult, p.n_child, e.name, e.starts_at, e.id, 0 "
        "FROM events e JOIN purged_event_uses p ON p.event = e.id WHERE e.venue = $1 "
        "AND e.starts_at >= $2 AND e.starts_at < $3 AND p.n_uses > 0 ORDER BY 5, 6, 7",
    [S_REPORT_CARDHOLDERS] =
        "SELECT 0, 0, '', count(*)" HANDOUTS_OF
        " UNION ALL SELECT 1, h.birth_year, '', count(*)" HANDOUTS_OF " GROUP BY h.birth_year"
        " UNION ALL SELECT 2, 0, h.mother_tongue, count(*)" HANDOUTS_OF " GROUP BY h.mother_tongue"
        " UNION ALL SELECT 3, 0, h.gender, count(*)" HANDOUTS_OF " GROUP BY h.gender"
        " UNION ALL SELECT 4, 0, h.postal_code, count(*)" HANDOUTS_OF " GROUP BY h.postal_code"
        " UNION ALL SELECT 5, h.life_situations, '', count(*)" HANDOUTS_OF
        " GROUP BY h.life_situations"
        " UNION ALL SELECT 6, 0, n.id, (SELECT count(*) FROM handouts h "
        "JOIN cards c ON c.code = h.card WHERE h.unit = n.id AND c.kind = 'personal' "
        "AND h.handed_out_on BETWEEN $2 AND $3 AND h.recorded_at < $4) "
        "FROM units n WHERE $1::text IS NULL OR n.region = $1"
        " UNION ALL SELECT 7, h.handed_out_on, '', count(*)" HANDOUTS_OF
        " GROUP BY h.handed_out_on ORDER BY 1, 2, 3",
    [S_REPORT_NATIONAL] = NATIONAL_SQL,
    [S_REPORT_HANDED_CARDS] = "SELECT h.card, u.region FROM handouts h "
                              "JOIN units u ON u.id = h.unit "
                              "WHERE h.handed_out_on BETWEEN $1 AND $2",
    [S_REPORT_USED_CARDS] = "SELECT card FROM uses WHERE undone_at IS NULL",
    /* sec/rest (issue 15, items 3 and 7) */
    [S_USER_ENABLE] = "UPDATE users SET disabled = 0 WHERE username = $1",
    /* api_keys holds at most API_KEYS_PER_VENUE live keys a venue: no index */
    [S_API_KEY_OF_CREATOR] = "SELECT id, venue, label, created_at FROM api_keys "
                             "WHERE created_by = $1 AND revoked_at IS NULL ORDER BY id LIMIT 1",
    [S_PLACE_EVENT] = "SELECT coalesce(v.region, ''), '', e.venue FROM events e "
                      "JOIN venues v ON v.id = e.venue WHERE e.id = $1",
    /* uses_event: the event's uses in id order, none of another event's */
    [S_USE_LIST_EVENT] =
        "SELECT " USE_COLS ", e.venue, e.name, e.starts_at, coalesce(v.region, '') "
        "FROM uses s JOIN events e ON e.id = s.event JOIN venues v ON v.id = e.venue "
        "WHERE s.event = $2 AND ($1::text IS NULL OR e.venue = $1) "
        "AND ($3::bigint IS NULL OR e.starts_at >= $3) AND ($4::bigint IS NULL OR e.starts_at < "
        "$4) "
        "AND s.id > $5 AND ($6::text IS NULL OR v.region = $6) ORDER BY s.id",
    /* The events' kept counts (issue 16): a few hundred rows of
     * events_venue_start; an event's purged uses (R35) are one row. */
    [S_REPORT_VENUE_USAGE_COUNT] = "SELECT least(coalesce(sum(e.n_uses - coalesce(p.n_uses, 0) + "
                                   "(coalesce(p.n_uses, 0) > 0)::int), 0), $4) FROM events e "
                                   "LEFT JOIN purged_event_uses p ON p.event = e.id "
                                   "WHERE e.venue = $1 AND e.starts_at >= $2 AND e.starts_at < $3",
    /* web/network (issue 17) */
    [S_REGION_UPDATE] =
        "UPDATE regions SET name = $2, pilot_ends_on = $3 WHERE id = $1 RETURNING 1",
    [S_UNIT_UPDATE] = "UPDATE units SET name = $2 WHERE id = $1 RETURNING 1",
    [S_IMPORT_ROW_GET] = "SELECT 1 FROM import_rows WHERE key = $1",
    [S_IMPORT_ROW_ADD] = "INSERT INTO import_rows (key, layout, place, imported_by, imported_at) "
                         "VALUES ($1, $2, $3, $4, $5)",

    /* ---- kept counts (issue 16) ---- */
    [S_COUNT_EVENT_USE] = "UPDATE events SET used = used + $1 + $2, n_uses = n_uses + $4, "
                          "n_adult = n_adult + $1, n_child = n_child + $2, "
                          "n_companion = n_companion + $3 WHERE id = $5",
    [S_COUNT_CARD_USE] = "UPDATE cards SET live_uses = live_uses + $1 WHERE code = $2",
    [S_COUNT_USED_ONCE] = "UPDATE counts_cards SET used_once = used_once + $1 "
                          "WHERE region = $2 AND month = $3",
    [S_COUNT_CARDS_ADD] =
        "INSERT INTO counts_cards (region, month, handed_out, renewals, cancelled) "
        "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (region, month) DO UPDATE SET "
        "handed_out = counts_cards.handed_out + excluded.handed_out, renewals = "
        "counts_cards.renewals + excluded.renewals, "
        "cancelled = counts_cards.cancelled + excluded.cancelled",
    [S_COUNT_STOCK_ADD] = "INSERT INTO counts_stock (region, n) VALUES ($1, $2) "
                          "ON CONFLICT (region) DO UPDATE SET n = counts_stock.n + excluded.n",
    [S_COUNT_VALID_ADD] =
        "INSERT INTO counts_valid (region, handed_out_on, valid_until, n) VALUES ($1, $2, $3, $4) "
        "ON CONFLICT (region, handed_out_on, valid_until) DO UPDATE SET n = counts_valid.n + "
        "excluded.n",
    [S_COUNT_HANDOUTS_ADD] = "INSERT INTO counts_handouts (unit, month, n) VALUES ($1, $2, 1) "
                             "ON CONFLICT (unit, month) DO UPDATE SET n = counts_handouts.n + 1",
    [S_COUNT_BACKGROUND_ADD] =
        "INSERT INTO counts_background (region, month, dim, key, text, n) VALUES "
        "($1, $2, 1, $3, '', 1), ($1, $2, 2, 0, $4, 1), "
        "($1, $2, 3, 0, $5, 1), ($1, $2, 4, 0, $6, 1), ($1, $2, 5, $7, '', 1) "
        "ON CONFLICT (region, month, dim, key, text) DO UPDATE SET n = counts_background.n + 1",
    [S_COUNTS_CLEAR_EVENTS] = "UPDATE events SET n_uses = 0, n_adult = 0, n_child = 0, "
                              "n_companion = 0 WHERE n_uses <> 0 OR n_companion <> 0",
    [S_COUNTS_CLEAR_CARDS] =
        "UPDATE cards SET live_uses = purged_uses WHERE live_uses <> purged_uses",
    [S_COUNTS_CLEAR_MONTHS] = "DELETE FROM counts_cards",
    [S_COUNTS_CLEAR_STOCK] = "DELETE FROM counts_stock",
    [S_COUNTS_CLEAR_VALID] = "DELETE FROM counts_valid",
    [S_COUNTS_CLEAR_HANDOUTS] = "DELETE FROM counts_handouts",
    [S_COUNTS_CLEAR_BACKGROUND] = "DELETE FROM counts_background",
    [S_COUNTS_FILL_EVENTS] =
        "WITH g AS (SELECT event, sum(n) AS n, sum(a) AS a, sum(c) AS c, sum(k) AS k FROM ("
        "SELECT event, 1 AS n, adult AS a, child AS c, companion AS k FROM uses "
        "WHERE undone_at IS NULL UNION ALL SELECT event, n_uses, n_adult, n_child, n_companion "
        "FROM purged_event_uses) x GROUP BY event) "
        "UPDATE events SET n_uses = g.n, n_adult = g.a, n_child = g.c, n_companion = g.k "
        "FROM g WHERE g.event = events.id",
    [S_COUNTS_FILL_CARDS] = "WITH g AS (SELECT card, count(*) AS n FROM uses "
                            "WHERE undone_at IS NULL GROUP BY card) "
                            "UPDATE cards SET live_uses = cards.purged_uses + g.n FROM g "
                            "WHERE g.card = cards.code",
    [S_COUNTS_FILL_MONTHS] = "INSERT INTO counts_cards (region, month, handed_out, renewals, "
                             "cancelled, used_once) "
                             "SELECT region, month, sum(h), sum(r), sum(c), sum(u) FROM ("
                             "SELECT un.region AS region, " MONTH_OF(
                                 "h.handed_out_on") " AS month, 1 AS h, "
                                                    "(h.renews IS NOT NULL)::int AS r, 0 AS c, "
                                                    "(c.live_uses > 0)::int AS u FROM handouts h "
                                                    "JOIN cards c ON c.code = h.card JOIN units un "
                                                    "ON un.id = h.unit UNION ALL "
                                                    "SELECT un.region, " MONTH_OF(
                                                        "d.day") ", 0, 0, 1, 0 FROM (SELECT "
                                                                 "c.unit, " HKI_DAY("c.cancelled_"
                                                                                    "at") " AS day "
                                                                                          "FROM "
                                                                                          "cards c "
                                                                                          "WHERE "
                                                                                          "c."
                                                                                          "cancelle"
                                                                                          "d_at IS "
                                                                                          "NOT "
                                                                                          "NULL) d "
                                                                                          "JOIN "
                                                                                          "units "
                                                                                          "un ON "
                                                                                          "un.id = "
                                                                                          "d.unit) "
                                                                                          "m GROUP "
                                                                                          "BY "
                                                                                          "region, "
                                                                                          "month",
    [S_COUNTS_FILL_STOCK] = "INSERT INTO counts_stock (region, n) SELECT u.region, count(*) "
                            "FROM cards c JOIN units u ON u.id = c.unit "
                            "WHERE c.handed_out_on IS NULL AND c.cancelled_at IS NULL "
                            "GROUP BY u.region",
    [S_COUNTS_FILL_VALID] =
        "INSERT INTO counts_valid (region, handed_out_on, valid_until, n) "
        "SELECT u.region, c.handed_out_on, c.valid_until, count(*) FROM cards c "
        "JOIN units u ON u.id = c.unit WHERE c.handed_out_on IS NOT NULL "
        "AND c.cancelled_at IS NULL GROUP BY u.region, c.handed_out_on, c.valid_until",
    [S_COUNTS_FILL_HANDOUTS] =
        "INSERT INTO counts_handouts (unit, month, n) "
        "SELECT h.unit, " MONTH_OF(
            "h.handed_out_on") ", count(*) "
                               "FROM handouts h JOIN cards c ON c.code = h.card "
                               "WHERE c.kind = 'personal' GROUP BY 1, 2",
    /* clang-format off */
    [S_COUNTS_FILL_BACKGROUND] =
        "INSERT INTO counts_background (region, month, dim, key, text, n) "
        "SELECT region, month, dim, key, text, sum(n) FROM (" BACKGROUND_OF("h.purged = 0")
        " UNION ALL SELECT region, month, dim, key, text, n FROM purged_background) b "
        "GROUP BY 1, 2, 3, 4, 5",
    /* clang-format on */
    [S_COUNTS_DUMP_EVENTS] = "SELECT id, n_uses, n_adult, n_child, n_companion FROM events "
                             "WHERE n_uses <> 0 OR n_companion <> 0 ORDER BY id",
    [S_COUNTS_DUMP_CARDS] = "SELECT code, live_uses FROM cards WHERE live_uses <> 0 ORDER BY code",
    [S_COUNTS_DUMP_MONTHS] = "SELECT region, month, handed_out, renewals, cancelled, used_once "
                             "FROM counts_cards WHERE handed_out <> 0 OR renewals <> 0 "
                             "OR cancelled <> 0 OR used_once <> 0 ORDER BY region, month",
    [S_COUNTS_DUMP_STOCK] = "SELECT region, n FROM counts_stock WHERE n <> 0 ORDER BY region",
    [S_COUNTS_DUMP_VALID] = "SELECT region, handed_out_on, valid_until, n FROM counts_valid "
                            "WHERE n <> 0 ORDER BY region, handed_out_on, valid_until",
    [S_COUNTS_DUMP_HANDOUTS] =
        "SELECT unit, month, n FROM counts_handouts WHERE n <> 0 ORDER BY unit, month",
    [S_COUNTS_DUMP_BACKGROUND] = "SELECT region, month, dim, key, text, n FROM counts_background "
                                 "WHERE n <> 0 ORDER BY region, month, dim, key, text",
    [S_REPORT_NATIONAL_KEPT] = NATIONAL_KEPT_SQL,
    [S_REPORT_DOMAINS_KEPT] = "SELECT coalesce(v.region, ''), v.category, sum(e.n_uses) "
                              "FROM events e JOIN venues v ON v.id = e.venue "
                              "WHERE e.starts_at >= $1 AND e.starts_at < $2 "
                              "GROUP BY v.region, v.category",
    [S_REPORT_VENUE_USAGE_COUNT_SCAN] =
        "SELECT count(*) FROM (SELECT 1 FROM uses s JOIN events e ON e.id = s.event "
        "WHERE e.venue = $1 AND s.undone_at IS NULL AND e.starts_at >= $2 AND e.starts_at < $3 "
        "UNION ALL SELECT 1 FROM events e JOIN purged_event_uses p ON p.event = e.id "
        "WHERE e.venue = $1 AND e.starts_at >= $2 AND e.starts_at < $3 AND p.n_uses > 0 "
        "LIMIT $4) n",
    /* clang-format off */
    [S_REPORT_CARDHOLDERS_KEPT] =
        /* this month's recordings only, read once (not the region's year);
         * SQLite's INDEXED BY handouts_recorded is the planner's choice here */
        "WITH late AS MATERIALIZED (SELECT h.unit, h.birth_year, h.mother_tongue, h.gender, "
        "h.postal_code, h.life_situations, " MONTH_OF("h.handed_out_on") " AS month "
        "FROM handouts h JOIN cards c ON c.code = h.card "
        "JOIN units u ON u.id = h.unit WHERE h.recorded_at >= $4 AND c.kind = 'personal' "
        "AND ($1::text IS NULL OR u.region = $1) AND h.handed_out_on BETWEEN $2 AND $3) "
        "SELECT dd, kk, tt, sum(nn) FROM ("
        "SELECT 0 AS dd, 0 AS kk, ''::text AS tt, coalesce(sum(k.n), 0) AS nn" HANDOUTS_KEPT_OF
        " UNION ALL SELECT b.dim, b.key, b.text, sum(b.n) FROM counts_background b "
        "WHERE ($1::text IS NULL OR b.region = $1) AND b.month BETWEEN $2 AND $3 "
        "GROUP BY b.dim, b.key, b.text"
        " UNION ALL SELECT 6, 0, n.id, (SELECT coalesce(sum(k.n), 0) FROM counts_handouts k "
        "WHERE k.unit = n.id AND k.month BETWEEN $2 AND $3) FROM units n "
        "WHERE $1::text IS NULL OR n.region = $1"
        " UNION ALL SELECT 7, k.month, '', sum(k.n)" HANDOUTS_KEPT_OF " GROUP BY k.month"
        /* less the handouts recorded since the period's end into its months */
        " UNION ALL SELECT 0, 0, '', -count(*) FROM late"
        " UNION ALL SELECT 1, coalesce(birth_year, 0), '', -count(*) FROM late GROUP BY 2"
        " UNION ALL SELECT 2, 0, coalesce(mother_tongue, ''), -count(*) FROM late GROUP BY 3"
        " UNION ALL SELECT 3, 0, coalesce(gender, ''), -count(*) FROM late GROUP BY 3"
        " UNION ALL SELECT 4, 0, coalesce(postal_code, ''), -count(*) FROM late GROUP BY 3"
        " UNION ALL SELECT 5, coalesce(life_situations, 0), '', -count(*) FROM late GROUP BY 2"
        " UNION ALL SELECT 6, 0, unit, -count(*) FROM late GROUP BY unit"
        " UNION ALL SELECT 7, month, '', -count(*) FROM late GROUP BY month"
        ") r GROUP BY dd, kk, tt HAVING sum(nn) <> 0 OR dd IN (0, 6) ORDER BY 1, 2, 3",

    /* ---- retention (R35, issue 16 item 5) ---- */
    [S_PURGE_COUNT_HANDOUTS] =
        "SELECT " YEAR_OF("handed_out_on") ", count(*) "
        "FROM handouts WHERE handed_out_on < $1 AND recorded_at < $2 AND purged = 0 "
        "GROUP BY 1 ORDER BY 1",
    [S_PURGE_COUNT_USES] =
        "SELECT " YEAR_OF(HKI_DAY("e.starts_at")) ", count(*)" PURGED_USES " GROUP BY 1 ORDER BY 1",
    [S_PURGE_KEEP_EVENTS] =
        "INSERT INTO purged_event_uses (event, n_uses, n_adult, n_child, n_companion) "
        "SELECT s.event, count(*), sum(s.adult), sum(s.child), sum(s.companion)" PURGED_USES
        " AND s.undone_at IS NULL GROUP BY s.event ON CONFLICT (event) DO UPDATE SET "
        "n_uses = purged_event_uses.n_uses + excluded.n_uses, "
        "n_adult = purged_event_uses.n_adult + excluded.n_adult, "
        "n_child = purged_event_uses.n_child + excluded.n_child, "
        "n_companion = purged_event_uses.n_companion + excluded.n_companion",
    [S_PURGE_KEEP_CARDS] =
        "WITH g AS (SELECT s.card, count(*) AS n" PURGED_USES
        " AND s.undone_at IS NULL GROUP BY s.card) "
        "UPDATE cards SET purged_uses = cards.purged_uses + g.n FROM g WHERE g.card = cards.code",
    [S_PURGE_USES] = "DELETE FROM uses WHERE event IN (SELECT id FROM events WHERE starts_at < $1)",
    [S_PURGE_KEEP_BACKGROUND] =
        "INSERT INTO purged_background (region, month, dim, key, text, n) "
        BACKGROUND_OF("h.purged = 0 AND h.handed_out_on < $1 AND h.recorded_at < $2")
        " ON CONFLICT (region, month, dim, key, text) DO UPDATE SET "
        "n = purged_background.n + excluded.n",
    /* clang-format on */
    [S_PURGE_HANDOUTS] = "UPDATE handouts SET birth_year = NULL, mother_tongue = NULL, "
                         "gender = NULL, postal_code = NULL, life_situations = NULL, purged = 1 "
                         "WHERE handed_out_on < $1 AND recorded_at < $2 AND purged = 0",
    /* Rows copied with their ids leave the identity sequences where they
     * were: each goes on after its table's greatest id (1 when empty). The
     * tables with a generated id are those of migrations 001 and 006. */
    [S_COPY_IDS] = "SELECT " NEXT_ID("api_keys") ", " NEXT_ID("transfers") ", " NEXT_ID(
        "series") ", " NEXT_ID("events") ", " NEXT_ID("uses") ", " NEXT_ID("audit"),

    /* ---- failures counted for every server (migration 011) ---- */
    [S_FAILURE_ADD] = "INSERT INTO failure_counts (key, period, n, last_at) VALUES ($1, $2, 1, $3) "
                      "ON CONFLICT (key, period) DO UPDATE SET n = CASE WHEN "
                      "failure_counts.last_at < $4 THEN 1 ELSE failure_counts.n + 1 END, "
                      "last_at = greatest(failure_counts.last_at, $3)",
    [S_FAILURE_LIST] =
        "SELECT period, n, last_at FROM failure_counts WHERE key = $1 AND period >= $2 "
        "ORDER BY period",
    [S_FAILURE_CLEAR] = "DELETE FROM failure_counts WHERE key = $1",
    [S_FAILURES_PURGE] = "DELETE FROM failure_counts WHERE last_at < $1",

    COPY(REGIONS, "id, name, pilot_ends_on", "id", "$1, $2, $3"),
    COPY(UNITS, "id, region, name", "id", "$1, $2, $3"),
    COPY(VENUES,
         "id, region, name, category, accessibility, free_cloakroom, accessibility_sv, "
         "accessibility_en",
         "id", "$1, $2, $3, $4, $5, $6, $7, $8"),
    COPY(USERS, "username, password_hash, role, region, unit, venue, disabled, created_at",
         "username", "$1, $2, $3, $4, $5, $6, $7, $8"),
    COPY(SESSIONS, "token_hash, username, created_at, expires_at", "token_hash", "$1, $2, $3, $4"),
    COPY(API_KEYS, "id, venue, label, key_hash, created_by, created_at, revoked_at", "id",
         "$1, $2, $3, $4, $5, $6, $7"),
    COPY(CARDS, "code, kind, unit, added_at, cancelled_at, cancel_reason, purged_uses", "code",
         "$1, $2, $3, $4, $5, $6, $7"),
    COPY(HANDOUTS,
         "card, unit, handed_out_on, valid_until, birth_year, mother_tongue, gender, "
         "postal_code, life_situations, renews, recorded_by, recorded_at, purged",
         "card", "$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13"),
    COPY(TRANSFERS,
         "id, from_unit, to_unit, status, requested_by, requested_at, decided_by, decided_at", "id",
         "$1, $2, $3, $4, $5, $6, $7, $8"),
    COPY(TRANSFER_CARDS, "transfer, card", "transfer, card", "$1, $2"),
    COPY(SERIES,
         "id, venue, event_name, weekdays, opens_at, first_day, last_day, capacity, cap, "
         "created_by, created_at, closed_at",
         "id", "$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12"),
    COPY(EVENTS,
         "id, venue, name, kind, starts_at, capacity, cap, guest_producer, booking_opens_days, "
         "collection_opens_minutes, excluded, exclusion_reason, used, series",
         "id", "$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14"),
    COPY(USES,
         "id, card, event, adult, child, companion, channel, recorded_by, recorded_at, "
         "undone_by, undone_at, idempotency_key",
         "id", "$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12"),
    COPY(AUDIT, "id, at, \"user\", action, object, client_ip, region", "id",
         "$1, $2, $3, $4, $5, $6, $7"),
    COPY(IMPORT_ROWS, "key, layout, place, imported_by, imported_at", "key", "$1, $2, $3, $4, $5"),
    COPY(PURGED_EVENT_USES, "event, n_uses, n_adult, n_child, n_companion", "event",
         "$1, $2, $3, $4, $5"),
    COPY(PURGED_BACKGROUND, "region, month, dim, key, text, n", "region, month, dim, key, text",
         "$1, $2, $3, $4, $5, $6"),
};
