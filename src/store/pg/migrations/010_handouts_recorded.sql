-- Twin of SQLite's 010 (issue 16, R30): the handouts by the time they were
-- recorded, for the cardholder report's late recordings (docs/privacy.md,
-- "Late recordings"); S_REPORT_CARDHOLDERS_KEPT reads this month's from it.
CREATE INDEX handouts_recorded ON handouts (recorded_at);
