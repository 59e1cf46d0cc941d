-- Report exports (CSV, XLSX, PDF) made in the background. The finished file is kept in
-- the database, base64 in a text column, so any server of a cluster can hand it out; it
-- is deleted when it expires (a day after it was made).
CREATE TABLE report_exports (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  format TEXT NOT NULL,
  language TEXT NOT NULL,
  filter TEXT NOT NULL,
  state TEXT NOT NULL,
  rows_total BIGINT NOT NULL DEFAULT 0,
  rows_done BIGINT NOT NULL DEFAULT 0,
  file_name TEXT NOT NULL DEFAULT '',
  content_type TEXT NOT NULL DEFAULT '',
  size_bytes BIGINT NOT NULL DEFAULT 0,
  content TEXT,
  error TEXT NOT NULL DEFAULT '',
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  finished_at BIGINT,
  expires_at BIGINT NOT NULL
);
CREATE INDEX report_exports_expiry ON report_exports(expires_at);
