-- The handouts by the time they were recorded (issue 16, R30): the cardholder
-- report subtracts from the kept counts of its closed months the handouts
-- recorded since then but dated in them (paper forms typed in late), so that
-- a late recording shows only once the month of its recording has closed
-- (docs/privacy.md, "Late recordings"). Handouts are recorded in time order,
-- so the index grows at its end.
CREATE INDEX handouts_recorded ON handouts (recorded_at);
