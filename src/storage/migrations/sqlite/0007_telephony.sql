-- Telephony: the provider's view of each call attempt, the webhooks received for it,
-- what was said, and its recordings.

-- One row per placed call: its provider status (which never moves backwards), the
-- conversation's state between Gather round trips, and the outcome the conversation
-- decided. The placing process's dialer takes finished rows (consumed = 0 -> 1).
CREATE TABLE provider_calls (
  attempt_id BIGINT PRIMARY KEY REFERENCES call_attempts(id) ON DELETE CASCADE,
  provider TEXT NOT NULL,
  account_id TEXT NOT NULL,
  call_id TEXT NOT NULL,
  worker TEXT NOT NULL,
  transport TEXT NOT NULL,
  status TEXT NOT NULL,
  status_sequence BIGINT NOT NULL DEFAULT -1,
  answered_by TEXT NOT NULL DEFAULT '',
  answered_at BIGINT,
  ended_at BIGINT,
  duration_seconds INTEGER,
  error_code TEXT NOT NULL DEFAULT '',
  conversation_state TEXT NOT NULL DEFAULT '{}',
  disposition TEXT NOT NULL DEFAULT '',
  callback_at BIGINT,
  final INTEGER NOT NULL DEFAULT 0,
  consumed INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX provider_calls_call ON provider_calls(provider, call_id);
CREATE INDEX provider_calls_finished ON provider_calls(worker, final, consumed);

-- Every verified webhook, once: a retried or duplicated callback has the same key and
-- is recorded (and acted on) only the first time.
CREATE TABLE call_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  attempt_id BIGINT REFERENCES call_attempts(id) ON DELETE CASCADE,
  provider TEXT NOT NULL,
  call_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  dedupe_key TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT '',
  sequence BIGINT NOT NULL DEFAULT -1,
  received_at BIGINT NOT NULL,
  payload TEXT NOT NULL DEFAULT '{}'
);
CREATE UNIQUE INDEX call_events_dedupe ON call_events(provider, call_id, kind, dedupe_key);
CREATE INDEX call_events_attempt ON call_events(attempt_id, id);

-- The transcript: one row per turn.
CREATE TABLE call_turns (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  attempt_id BIGINT NOT NULL REFERENCES call_attempts(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  speaker TEXT NOT NULL,
  text TEXT NOT NULL,
  language TEXT NOT NULL DEFAULT '',
  intent TEXT NOT NULL DEFAULT '',
  confidence DOUBLE PRECISION,
  step TEXT NOT NULL DEFAULT '',
  at BIGINT NOT NULL
);
CREATE UNIQUE INDEX call_turns_seq ON call_turns(attempt_id, seq);

-- Recordings copied from the provider, encrypted at rest in the blob store.
CREATE TABLE recordings (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  attempt_id BIGINT REFERENCES call_attempts(id) ON DELETE SET NULL,
  lead_id BIGINT REFERENCES leads(id) ON DELETE SET NULL,
  provider TEXT NOT NULL,
  provider_recording_id TEXT NOT NULL,
  call_id TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL,
  blob_key TEXT NOT NULL DEFAULT '',
  content_type TEXT NOT NULL DEFAULT '',
  size_bytes BIGINT NOT NULL DEFAULT 0,
  duration_seconds INTEGER NOT NULL DEFAULT 0,
  channels INTEGER NOT NULL DEFAULT 1,
  remote_deleted INTEGER NOT NULL DEFAULT 0,
  error TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  stored_at BIGINT,
  erased_at BIGINT
);
CREATE UNIQUE INDEX recordings_provider_id ON recordings(provider, provider_recording_id);
CREATE INDEX recordings_attempt ON recordings(attempt_id);
CREATE INDEX recordings_lead ON recordings(lead_id);
