/* stmt.h — the named statements of the backend contract (backend.h).
 *
 * Each is one statement a backend writes in its own SQL, with the
 * arguments and result columns given here (?n: argument n; "→": the columns
 * of each row, in order; "opt": NULL when absent). Row readers (rows.c) read
 * the column lists named in capitals:
 *   PLACE    region, unit, venue ("" where a level does not apply)
 *   REGION   id, name, pilot_ends_on (-1: none)
 *   UNIT     id, region, name
 *   VENUE    id, region (""), name, category, accessibility, free_cloakroom,
 *            accessibility_sv, accessibility_en
 *   USER     username, role, scope id (""), disabled, then the PLACE of the
 *            scope (region, unit, venue), password_hash
 *   API_KEY  id, venue, label, created_at
 *   SERIES   id, venue, event name, weekdays, opens_at, first_day, last_day, capacity,
 *            cap (-1), closed_at (0), days (its events now)
 *   CARD     code, kind, unit, unit's region, handed_out_on (opt),
 *            valid_until (opt), cancelled (0/1), live_uses (issue 16)
 *   TRANSFER id, from_unit, to_unit, from region, status, code count,
 *            requested_by, requested_at, decided_by (""), decided_at (0),
 *            to region
 *   EVENT    id, venue, region (""), name, kind, starts_at, capacity,
 *            cap (-1), guest_producer, booking_opens_days (-1),
 *            collection_opens_minutes (-1), excluded, exclusion_reason, used
 *   USE      id, card, event, adult, child, companion, channel,
 *            recorded_by, recorded_at, undone_by (""), undone_at (0)
 *   AUDIT    id, at, user, action, object, address, region ("")
 *   ID       id */
#ifndef KAIKU_STORE_STMT_H
#define KAIKU_STORE_STMT_H

/* The tables of a store in dependency order: copying them in this order
 * never meets a reference to a row not copied yet. Cards are copied without
 * their handout's day and validity, which the handouts bring (R12). */
/* clang-format off */
#define COPY_TABLES(X)                                                                             \
    X(REGIONS) X(UNITS) X(VENUES) X(USERS) X(SESSIONS) X(API_KEYS) X(CARDS) X(HANDOUTS)            \
    X(TRANSFERS) X(TRANSFER_CARDS) X(SERIES) X(EVENTS) X(USES) X(AUDIT) X(IMPORT_ROWS)            \
    X(PURGED_EVENT_USES) X(PURGED_BACKGROUND)
/* clang-format on */

/* Statements a backend may send without waiting for their answer, when run
 * without a row callback in a write transaction (backend.h, "run"): they
 * only move kept counts or append audit rows, so nothing the script decides
 * depends on their outcome, and their only failures are the database's own
 * (an I/O error, a lost connection), which fail the transaction whichever
 * statement reports them. A copy's writes (S_COPY_*_WRITE) are too. */
#define DEFERRABLE_STMTS(X) X(AUDIT_ADD) X(COUNT_EVENT_USE) X(COUNT_CARD_USE) X(COUNT_USED_ONCE)

#define STATEMENTS(X)                                                                                \
    X(AUDIT_ADD, "?1 at, ?2 user, ?3 action, ?4 object, ?5 address, ?6 region (opt)")                \
    X(AUDIT_LIST, "?1 from (0: open), ?2 to (0: open), ?3 region (opt: all), ?4 after id → AUDIT"  \
                  ", by id")                                                                         \
    X(PLACE_REGION, "?1 region id → PLACE")                                                          \
    X(PLACE_UNIT, "?1 unit id → PLACE")                                                              \
    X(PLACE_VENUE, "?1 venue id → PLACE")                                                            \
    X(REGION_ADD, "?1 id, ?2 name, ?3 pilot_ends_on (opt)")                                          \
    X(REGION_GET, "?1 id → REGION")                                                                  \
    X(REGION_LIST, "→ REGION, by id")                                                                \
    X(UNIT_ADD, "?1 id, ?2 region, ?3 name")                                                         \
    X(UNIT_GET, "?1 id → UNIT")                                                                      \
    X(UNIT_LIST, "?1 region ('': all) → UNIT, by id")                                                \
    X(VENUE_ADD, "?1 id, ?2 region (opt), ?3 name, ?4 category, ?5 accessibility, "                  \
                 "?6 free_cloakroom")                                                                \
    X(VENUE_GET, "?1 id → VENUE")                                                                    \
    X(VENUE_LIST, "?1 region ('': all) → VENUE, by id")                                              \
    X(USER_ADD, "?1 username, ?2 password_hash, ?3 role, ?4 region, ?5 unit, ?6 venue (each "        \
                "opt), ?7 created_at")                                                               \
    X(USER_GET, "?1 username → USER")                                                                \
    X(USER_LIST, "→ USER, by username")                                                              \
    X(USER_DISABLE, "?1 username")                                                                   \
    X(USER_SET_HASH, "?1 password_hash, ?2 username")                                                \
    X(SESSION_ADD, "?1 token_hash, ?2 username, ?3 created_at, ?4 expires_at")                       \
    X(SESSION_GET, "?1 token_hash, ?2 now → USER, expires_at; only alive and user not disabled")     \
    X(SESSION_DELETE, "?1 token_hash")                                                               \
    X(SESSIONS_PURGE, "?1 username, ?2 now: deletes the user's expired sessions")                    \
    X(SESSIONS_END, "?1 username, ?2 token_hash to keep (opt): deletes the others")                  \
    X(API_KEY_ADD, "?1 venue, ?2 label, ?3 key_hash, ?4 created_by, ?5 created_at → ID")             \
    X(API_KEY_LIST, "?1 venue → API_KEY not revoked, by id")                                         \
    X(API_KEY_REVOKE, "?1 now, ?2 id, ?3 venue → ID of the key revoked (none: no such key)")         \
    X(API_KEY_FIND, "?1 key_hash → API_KEY not revoked")                                             \
    X(CARD_GET, "?1 code → CARD")                                                                    \
    X(CARD_EXISTS, "?1 code → ID (any value) when the code exists")                                  \
    X(CARD_ADD, "?1 code, ?2 kind, ?3 unit, ?4 added_at")                                            \
    X(CARD_CANCEL, "?1 cancelled_at, ?2 reason, ?3 code")                                            \
    X(STOCK_LIST, "?1 unit → CARD in its stock: not handed out, not cancelled; by code")             \
    X(HANDOUT_LIST, "?1 unit, ?2 limit → CARD handed out by the unit, the latest recorded first")    \
    X(HANDOUT_ADD, "?1 card, ?2 unit, ?3 handed_out_on, ?4 valid_until, ?5 birth_year, "             \
                   "?6 mother_tongue, ?7 gender, ?8 postal_code, ?9 life_situations (each opt), "    \
                   "?10 renews (opt), ?11 recorded_by, ?12 recorded_at; the card's row takes "       \
                   "handed_out_on and valid_until")                                                  \
    X(TRANSFER_ADD, "?1 from_unit, ?2 to_unit, ?3 requested_by, ?4 requested_at → ID")               \
    X(TRANSFER_CARD_ADD, "?1 transfer, ?2 code")                                                     \
    X(TRANSFER_GET, "?1 id → TRANSFER")                                                              \
    X(TRANSFER_LIST, "?1 status (opt: all) → TRANSFER, by id")                                       \
    X(TRANSFER_CARDS, "?1 transfer → CARD, by code")                                                 \
    X(TRANSFER_MOVE, "?1 to_unit, ?2 transfer: moves the transfer's cards")                          \
    X(TRANSFER_SET, "?1 status, ?2 decided_by, ?3 decided_at, ?4 id")                                \
    X(EVENT_ADD, "?1 venue, ?2 name, ?3 kind, ?4 starts_at, ?5 capacity, ?6 cap (opt), "             \
                 "?7 guest_producer, ?8 booking_opens_days (opt), "                                  \
                 "?9 collection_opens_minutes (opt), ?10 excluded, ?11 exclusion_reason → ID")       \
    X(EVENT_GET, "?1 id → EVENT")                                                                    \
    X(EVENT_LOCK, "?1 id → EVENT, read for update: the row stays as read until the write "         \
                  "transaction ends (R16)")                                                          \
    X(EVENT_SET, "?1 name … ?10 exclusion_reason as EVENT_ADD's ?2..?11, ?11 id")                    \
    X(EVENT_LIST, "?1 venue (opt: all), ?2 from, ?3 to (starts_at in [from, to); 0: open) → "      \
                  "EVENT, by starts_at, id")                                                         \
    X(EVENT_LIST_VENUE, "as EVENT_LIST, ?1 venue given: drawn from the venue's own events (the "     \
                        "box office's choice scans none of another venue's)")                        \
    X(EVENT_ADD_USED, "?1 tickets (may be negative), ?2 id: used += tickets")                        \
    X(USE_BY_KEY, "?1 recorded_by, ?2 idempotency_key → USE")                                        \
    X(USE_ADULT, "?1 card, ?2 event → ID (any value) when a use not undone has an adult ticket")     \
    X(USE_ADD, "?1 card, ?2 event, ?3 adult, ?4 child, ?5 companion, ?6 channel, "                   \
               "?7 recorded_by, ?8 recorded_at, ?9 idempotency_key (opt) → ID")                      \
    X(USE_GET, "?1 id → USE")                                                                        \
    X(USE_UNDO, "?1 undone_by, ?2 undone_at, ?3 id → ID when the use was not undone yet")            \
    X(USE_LIST, "?1 venue (opt), ?2 event (0: all), ?3 from, ?4 to (starts_at in [from, to); "       \
                "opt: open), ?5 after id, ?6 region (opt) → USE, venue, event name, "              \
                "event starts_at, region (''), by id")                                               \
    X(USE_LIST_VENUE, "as USE_LIST, ?1 venue and ?3 from given: drawn from the venue's events "      \
                      "from then on and their uses (today's uses at a box office scan none "         \
                      "of another venue's, nor of other days)")                                      \
    X(REPORT_VENUE_USAGE, "?1 venue, ?2 from, ?3 to (starts_at in [from, to)) → card, adult, "     \
                          "child, event name, starts_at of uses not undone, by starts_at, event, "   \
                          "id (an event's purged uses first, one row, card '')")                     \
    X(REPORT_CARDHOLDERS, "?1 region (opt: all), ?2 first day, ?3 last day → dim, key, text, "     \
                          "count: R30's groups in the order of enum report_dim")                     \
    X(REPORT_NATIONAL, "?1 first day, ?2 last day, ?3 today, ?4 from, ?5 to (instants of the "       \
                       "year) → region (''), name (''), then the FIG_COUNT figures of "            \
                       "enum national_figure (FIG_USED_ONCE 0), by region, pop-ups last")            \
    X(REPORT_HANDED_CARDS, "?1 first day, ?2 last day → code, region of the year's handouts")        \
    X(REPORT_USED_CARDS, "→ code of every use not undone")                                           \
    /* sec/rest (issue 15, items 3 and 7) */                                                         \
    X(USER_ENABLE, "?1 username")                                                                    \
    X(API_KEY_OF_CREATOR, "?1 created_by → API_KEY: the first not revoked, by id")                   \
    X(PLACE_EVENT, "?1 event id → PLACE of its venue (region, '', venue)")                           \
    X(USE_LIST_EVENT, "as USE_LIST, ?2 event given (not 0): drawn from that event's uses only")      \
    X(REPORT_VENUE_USAGE_COUNT, "?1 venue, ?2 from, ?3 to, ?4 limit → ID: the number of rows "     \
                                "REPORT_VENUE_USAGE gives, at most ?4, from the events' kept "       \
                                "counts (n_uses; an event's purged uses are one row)")               \
    X(REPORT_VENUE_USAGE_COUNT_SCAN, "as REPORT_VENUE_USAGE_COUNT, counting the uses (before the "   \
                                     "kept counts)")                                                 \
    /* web/network (issue 17) */                                                                     \
    X(REGION_UPDATE,                                                                                 \
      "?1 id, ?2 name, ?3 pilot_ends_on (opt) → ID (any value) when the region exists")              \
    X(UNIT_UPDATE, "?1 id, ?2 name → ID (any value) when the unit exists")                           \
    X(VENUE_SET, "?1 id, ?2 name, ?3 category, ?4 accessibility, ?5 accessibility_sv, "              \
                 "?6 accessibility_en, ?7 free_cloakroom")                                           \
    X(SERIES_ADD, "?1 venue, ?2 event name, ?3 weekdays, ?4 opens_at, ?5 first_day, ?6 last_day, "   \
                  "?7 capacity, ?8 cap (opt), ?9 created_by, ?10 created_at → ID")                   \
    X(SERIES_GET, "?1 id → SERIES")                                                                  \
    X(SERIES_LIST, "?1 venue → SERIES, the latest first")                                            \
    X(SERIES_SET_LAST, "?1 last_day, ?2 id")                                                         \
    X(SERIES_CLOSE, "?1 closed_at, ?2 last_day, ?3 id")                                              \
    X(EVENT_SET_SERIES, "?1 series, ?2 event id")                                                    \
    X(EVENT_LIST_SERIES, "?1 series → EVENT, by starts_at")                                          \
    X(SERIES_DROP_DAYS, "?1 series, ?2 from (starts_at >= from) → ID of each day removed: those "  \
                        "no use names, undone or not")                                               \
    X(IMPORT_ROW_GET, "?1 key → ID (any value) when an import recorded the row of this key")         \
    X(IMPORT_ROW_ADD, "?1 key, ?2 layout, ?3 place, ?4 imported_by, ?5 imported_at")                 \
    /* ---- kept counts (issue 16; counts.c, migration 008) ---- */                                  \
    X(COUNT_EVENT_USE, "?1 adult, ?2 child, ?3 companion, ?4 uses (1 or -1, the tickets negative "   \
                       "with -1), ?5 event: used += adult + child, and the event's kept counts")     \
    X(COUNT_CARD_USE, "?1 change (1 or -1), ?2 code: the card's uses not undone")                    \
    X(COUNT_USED_ONCE, "?1 change, ?2 region, ?3 month: cards handed out then with a use not "       \
                       "undone")                                                                     \
    X(COUNT_CARDS_ADD, "?1 region, ?2 month, ?3 handed_out, ?4 renewals, ?5 cancelled (changes)")    \
    X(COUNT_STOCK_ADD, "?1 region, ?2 change: codes in stock")                                       \
    X(COUNT_VALID_ADD, "?1 region, ?2 handed_out_on, ?3 valid_until, ?4 change: cards not "          \
                       "cancelled")                                                                  \
    X(COUNT_HANDOUTS_ADD, "?1 unit, ?2 month: one personal handout more (R30)")                      \
    X(COUNT_BACKGROUND_ADD, "?1 region, ?2 month, ?3 birth_year, ?4 mother_tongue, ?5 gender, "      \
                            "?6 postal_code, ?7 life_situations: one personal handout more in "      \
                            "each other breakdown of R30")                                           \
    X(COUNTS_CLEAR_EVENTS, "every event's kept counts to 0")                                         \
    X(COUNTS_CLEAR_CARDS, "every card's live uses to 0")                                             \
    X(COUNTS_CLEAR_MONTHS, "deletes the counts per region and month")                                \
    X(COUNTS_CLEAR_STOCK, "deletes the counts of stock")                                             \
    X(COUNTS_CLEAR_VALID, "deletes the counts of cards not cancelled")                               \
    X(COUNTS_CLEAR_HANDOUTS, "deletes the counts of personal handouts")                              \
    X(COUNTS_CLEAR_BACKGROUND, "deletes the counts of R30's breakdowns")                             \
    X(COUNTS_FILL_EVENTS, "recounts every event's kept counts from its uses")                        \
    X(COUNTS_FILL_CARDS, "recounts every card's live uses")                                          \
    X(COUNTS_FILL_MONTHS, "recounts the counts per region and month (after FILL_CARDS)")             \
    X(COUNTS_FILL_STOCK, "recounts the stock per region")                                            \
    X(COUNTS_FILL_VALID, "recounts the cards not cancelled")                                         \
    X(COUNTS_FILL_HANDOUTS, "recounts the personal handouts per unit and month")                     \
    X(COUNTS_FILL_BACKGROUND, "recounts R30's breakdowns")                                           \
    X(COUNTS_DUMP_EVENTS, "→ id, n_uses, n_adult, n_child, n_companion of events with any, by id")   \
    X(COUNTS_DUMP_CARDS, "→ code, live_uses of cards with any, by code")                             \
    X(COUNTS_DUMP_MONTHS, "→ region, month, handed_out, renewals, cancelled, used_once not all 0")   \
    X(COUNTS_DUMP_STOCK, "→ region, n (not 0), by region")                                           \
    X(COUNTS_DUMP_VALID, "→ region, handed_out_on, valid_until, n (not 0), by key")                  \
    X(COUNTS_DUMP_HANDOUTS, "→ unit, month, n (not 0), by key")                                      \
    X(COUNTS_DUMP_BACKGROUND, "→ region, month, dim, key, text, n (not 0), by key")                  \
    X(REPORT_NATIONAL_KEPT, "as REPORT_NATIONAL, FIG_USED_ONCE included, from the kept counts; "     \
                            "?1..?2 whole months")                                                   \
    X(REPORT_DOMAINS_KEPT, "?1 from, ?2 to (instants) → region (''), category, uses not undone "   \
                           "of the venues' events in [from, to)")                                    \
    X(REPORT_CARDHOLDERS_KEPT, "as REPORT_CARDHOLDERS, from the kept counts; ?2..?3 whole "          \
                               "months, less handouts recorded from ?4 on")                          \
    X(PURGE_COUNT_HANDOUTS, "?1 day, ?2 instant → year, handouts before the day, recorded before " \
                            "the instant, background not cleared")                                   \
    X(PURGE_COUNT_USES, "?1 instant → year, uses of the events that start before it")                \
    X(PURGE_KEEP_EVENTS, "?1 instant: adds those uses not undone to purged_event_uses")              \
    X(PURGE_KEEP_CARDS, "?1 instant: adds those uses not undone to the cards' purged_uses")          \
    X(PURGE_USES, "?1 instant: deletes the uses of the events that start before it")                 \
    X(PURGE_KEEP_BACKGROUND, "?1 day, ?2 instant: adds the breakdowns of those handouts to "         \
                             "purged_background")                                                    \
    X(PURGE_HANDOUTS, "?1 day, ?2 instant: clears the background of those handouts")                 \
    /* ---- failures counted for every server (store_failures_*, migration 011) ---- */              \
    X(FAILURE_ADD,                                                                                   \
      "?1 key (digest), ?2 period, ?3 now, ?4 forget before: one failure more of the "               \
      "key in the period, the latest at ?3; a count whose latest failure was before "                \
      "?4 starts again at 1")                                                                        \
    X(FAILURE_LIST, "?1 key (digest), ?2 first period → period, n, last_at of the key's counts "   \
                    "from that period on, by period")                                                \
    X(FAILURE_CLEAR, "?1 key (digest): deletes the key's counts")                                    \
    X(FAILURES_PURGE, "?1 before: deletes every count whose latest failure was before it")           \
    X(COPY_IDS, "after a copy (copy.c): each table's generated ids go on after the greatest "        \
                "id it holds, so that the next insert takes a new one (SQLite's rowids do of "       \
                "themselves; PostgreSQL's identity sequences are set)")                              \
    COPY_TABLES(STMT_COPY_PAIR)

/* Copying a table: _READ → every column of every row (in key order);
 * _WRITE takes the same columns as ?1..?n. */
#define STMT_COPY_PAIR(t)                                             \
    X_COPY(COPY_##t##_READ, "→ every row of the table, every column") \
    X_COPY(COPY_##t##_WRITE, "?1..?n: one row, columns as _READ's")

enum stmt {
#define X(name, doc)      S_##name,
#define X_COPY(name, doc) S_##name,
    STATEMENTS(X)
#undef X_COPY
#undef X
        STMT_COUNT
};

#endif
