-- Requests from data principals (DPDP Act 2023): erasure, access, correction, consent
-- withdrawal, and grievances, each with the day it must be answered by. The number is
-- kept only until its lead is erased (then blanked, its last digits kept as a hint), so
-- the request stays as evidence without the personal data.
CREATE TABLE data_requests (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL,
  requester TEXT NOT NULL,
  channel TEXT NOT NULL,
  phone_e164 TEXT,
  phone_hint TEXT NOT NULL DEFAULT '',
  details TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL,
  received_at BIGINT NOT NULL,
  due_at BIGINT NOT NULL,
  closed_at BIGINT,
  outcome TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  closed_by TEXT NOT NULL DEFAULT '',
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX data_requests_due ON data_requests(state, due_at);
CREATE INDEX data_requests_phone ON data_requests(phone_e164);
