-- Outbound webhooks: the business's own systems (its CRM, a sheet, a chat channel) are
-- told when a call ends or an import finishes. Each event is written to
-- webhook_deliveries in the transaction that made it happen (an outbox), so no event is
-- lost or sent for a change that rolled back; any server then delivers it, signed with
-- the endpoint's secret (sealed at rest), retrying with growing delays.
CREATE TABLE webhook_endpoints (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  url TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  events TEXT NOT NULL,
  sealed_secret TEXT NOT NULL,
  secret_hint TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  created_by TEXT NOT NULL
);
-- phone_e164 is the lead's number when the payload carries it: erasing the lead deletes
-- its deliveries.
CREATE TABLE webhook_deliveries (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  endpoint_id BIGINT NOT NULL,
  event_id TEXT NOT NULL,
  event TEXT NOT NULL,
  payload TEXT NOT NULL,
  phone_e164 TEXT,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  claimed_until BIGINT NOT NULL DEFAULT 0,
  last_status INTEGER,
  last_error TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  delivered_at BIGINT
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(state, next_attempt_at);
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries(endpoint_id, id);
CREATE INDEX webhook_deliveries_phone ON webhook_deliveries(phone_e164);
