-- A finished export's file in chunks of 1 MiB (base64), written one short transaction
-- each as the file is read from disk, and read back one at a time: neither making nor
-- storing an export holds the whole file (or its base64 copy) in memory. Exports made
-- before this migration keep their file in report_exports.content.
CREATE TABLE report_export_chunks (
  export_id BIGINT NOT NULL,
  seq INTEGER NOT NULL,
  content TEXT NOT NULL,
  PRIMARY KEY (export_id, seq)
);
