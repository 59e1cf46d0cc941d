-- Leads, lists, tags, the per-lead timeline, and import jobs with their refused rows.
-- One lead per phone number (E.164): attempt caps, do-not-call and consent all follow
-- the number, whatever list or campaign it arrives through. Lists are memberships.
CREATE TABLE lead_lists (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL,
  created_by TEXT NOT NULL
);

CREATE TABLE leads (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  phone_e164 TEXT UNIQUE,
  phone_raw TEXT NOT NULL DEFAULT '',
  phone_extension TEXT NOT NULL DEFAULT '',
  phone_type TEXT NOT NULL DEFAULT '',
  alt_phones TEXT NOT NULL DEFAULT '[]',
  name TEXT NOT NULL DEFAULT '',
  email TEXT NOT NULL DEFAULT '',
  language TEXT NOT NULL DEFAULT '',
  city TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL DEFAULT '',
  time_zone TEXT NOT NULL DEFAULT '',
  source_kind TEXT NOT NULL,
  source_detail TEXT NOT NULL DEFAULT '',
  custom TEXT NOT NULL DEFAULT '{}',
  owner_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
  status TEXT NOT NULL DEFAULT 'new',
  dnd_state TEXT NOT NULL DEFAULT 'unknown',
  dnd_checked_on TEXT NOT NULL DEFAULT '',
  search_text TEXT NOT NULL DEFAULT '',
  import_job_id BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  erased_at BIGINT
);
-- Lists walk newest first by id and filter as they go, which is fast for any value
-- that is not rare; statuses and DND states can be rare (converted, partial), so they
-- get indexes. Every index is paid for on each of a million imported rows.
CREATE INDEX leads_status ON leads(status, id);
CREATE INDEX leads_dnd_state ON leads(dnd_state, id);

CREATE TABLE lead_list_members (
  list_id BIGINT NOT NULL REFERENCES lead_lists(id) ON DELETE CASCADE,
  lead_id BIGINT NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
  added_at BIGINT NOT NULL,
  import_job_id BIGINT,
  PRIMARY KEY (list_id, lead_id)
);
CREATE INDEX lead_list_members_lead ON lead_list_members(lead_id);

CREATE TABLE lead_tags (
  lead_id BIGINT NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
  tag TEXT NOT NULL,
  PRIMARY KEY (lead_id, tag)
);
CREATE INDEX lead_tags_tag ON lead_tags(tag, lead_id);

CREATE TABLE lead_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  lead_id BIGINT NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
  at BIGINT NOT NULL,
  kind TEXT NOT NULL,
  actor TEXT NOT NULL,
  data TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX lead_events_lead ON lead_events(lead_id, id);

CREATE TABLE import_jobs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  list_id BIGINT REFERENCES lead_lists(id) ON DELETE SET NULL,
  file_name TEXT NOT NULL,
  format TEXT NOT NULL DEFAULT '',
  encoding TEXT NOT NULL DEFAULT '',
  options TEXT NOT NULL DEFAULT '{}',
  status TEXT NOT NULL,
  total BIGINT NOT NULL DEFAULT 0,
  imported BIGINT NOT NULL DEFAULT 0,
  updated BIGINT NOT NULL DEFAULT 0,
  duplicates BIGINT NOT NULL DEFAULT 0,
  invalid BIGINT NOT NULL DEFAULT 0,
  dnd_blocked BIGINT NOT NULL DEFAULT 0,
  do_not_call BIGINT NOT NULL DEFAULT 0,
  warnings TEXT NOT NULL DEFAULT '[]',
  error TEXT NOT NULL DEFAULT '',
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  finished_at BIGINT
);

CREATE TABLE import_rejects (
  job_id BIGINT NOT NULL REFERENCES import_jobs(id) ON DELETE CASCADE,
  row_number BIGINT NOT NULL,
  phone_e164 TEXT,
  outcome TEXT NOT NULL,
  reason TEXT NOT NULL,
  message TEXT NOT NULL,
  original TEXT NOT NULL,
  PRIMARY KEY (job_id, row_number)
);
CREATE INDEX import_rejects_phone ON import_rejects(phone_e164);
