-- The business's own do-not-call list and the consent ledger (DPDP).
-- Both key every row by number_hash, the keyed HMAC-SHA256 of the E.164 number
-- (compliance/suppression_hash.h), and look numbers up by it: erasing a lead nulls the
-- plaintext columns but keeps the hash, so an erased person is still never called and
-- a withdrawal still locks re-asking.
CREATE TABLE do_not_call (
  id BIGSERIAL PRIMARY KEY,
  number_hash TEXT NOT NULL,
  phone_e164 TEXT,
  source TEXT NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  added_at BIGINT NOT NULL,
  added_by TEXT NOT NULL,
  removed_at BIGINT,
  removed_by TEXT,
  removal_reason TEXT,
  erased_at BIGINT
);
-- At most one active entry per number; removed entries stay as history. Adding is
-- made idempotent (also across servers) by INSERT ... ON CONFLICT on this index.
CREATE UNIQUE INDEX do_not_call_active ON do_not_call(number_hash) WHERE removed_at IS NULL;
CREATE INDEX do_not_call_hash ON do_not_call(number_hash, id);

CREATE TABLE consents (
  id BIGSERIAL PRIMARY KEY,
  number_hash TEXT NOT NULL,
  phone_e164 TEXT,
  purpose TEXT NOT NULL,
  source TEXT NOT NULL,
  notice_version TEXT NOT NULL,
  notice_language TEXT NOT NULL,
  given_at BIGINT NOT NULL,
  expires_at BIGINT,
  withdrawn_at BIGINT,
  withdrawn_by TEXT,
  recorded_at BIGINT NOT NULL,
  recorded_by TEXT NOT NULL,
  erased_at BIGINT
);
CREATE INDEX consents_number ON consents(number_hash, purpose, id);

-- Fingerprints of the keys the stored hashes were made with, to refuse a changed key.
CREATE TABLE compliance_keys (
  name TEXT PRIMARY KEY,
  fingerprint TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
