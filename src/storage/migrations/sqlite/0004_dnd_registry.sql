-- India's DND registry. The numbers themselves live in a snapshot file in the data
-- folder (compliance/dnd_snapshot.h); the database keeps what happened to it: every load
-- of a registry file, and every admin override that let dialling go on with a stale one.
CREATE TABLE dnd_loads (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  registry_date TEXT NOT NULL,
  mode TEXT NOT NULL,
  file_name TEXT NOT NULL,
  lines BIGINT NOT NULL,
  listed BIGINT NOT NULL,
  invalid BIGINT NOT NULL,
  numbers_after BIGINT NOT NULL,
  partial_after BIGINT NOT NULL,
  loaded_at BIGINT NOT NULL,
  loaded_by TEXT NOT NULL,
  duration_ms BIGINT NOT NULL
);

-- An override holds for one IST day and one registry date only.
CREATE TABLE dnd_overrides (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  ist_date TEXT NOT NULL,
  registry_date TEXT NOT NULL,
  reason TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX dnd_overrides_day ON dnd_overrides(ist_date, registry_date, id);
