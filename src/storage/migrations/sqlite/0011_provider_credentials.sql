-- Telephony provider credentials entered in the dashboard. The secrets are sealed with
-- AES-256-GCM (settings/secret_box.h) before they are written; only their last
-- characters are kept in the clear, so the dashboard can say which one is stored.
CREATE TABLE provider_credentials (
  provider TEXT PRIMARY KEY,
  account_sid TEXT NOT NULL,
  sealed_auth_token TEXT NOT NULL,
  auth_token_hint TEXT NOT NULL,
  api_key_sid TEXT NOT NULL DEFAULT '',
  sealed_api_key_secret TEXT NOT NULL DEFAULT '',
  api_key_secret_hint TEXT NOT NULL DEFAULT '',
  updated_at BIGINT NOT NULL,
  updated_by TEXT NOT NULL
);
