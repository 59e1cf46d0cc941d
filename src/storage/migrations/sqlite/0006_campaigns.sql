-- Campaigns and the dialer's state.
--
-- A campaign's configuration (campaigns/campaign.h) is one JSON document: it changes as
-- a whole in the editor, and nothing queries inside it. Its name and state are columns
-- because lists filter and sort on them.
CREATE TABLE campaigns (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE,
  state TEXT NOT NULL,
  config TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  started_at BIGINT,
  finished_at BIGINT
);

-- The campaign's leads and where each stands in its queue. `next_at` is the earliest
-- instant the scheduler considers it again (the gate's answer); `priority` orders due
-- callbacks (0) before fresh leads (1) before retries (2). A row being dialled is
-- 'claimed' by one process until `lease_until`; a crashed process's claims return to
-- the queue when their lease ends.
CREATE TABLE campaign_leads (
  campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
  lead_id BIGINT NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
  state TEXT NOT NULL,
  priority INTEGER NOT NULL,
  next_at BIGINT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_outcome TEXT NOT NULL DEFAULT '',
  last_reason TEXT NOT NULL DEFAULT '',
  claimed_by TEXT,
  lease_until BIGINT,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (campaign_id, lead_id)
);
CREATE INDEX campaign_leads_queue ON campaign_leads(campaign_id, state, priority, next_at);
CREATE INDEX campaign_leads_lead ON campaign_leads(lead_id);

-- One row per number while it is in a call, whichever campaign dials it: the lock that
-- keeps a number from being dialled twice at once, across campaigns and servers.
CREATE TABLE dial_locks (
  lead_id BIGINT PRIMARY KEY REFERENCES leads(id) ON DELETE CASCADE,
  campaign_id BIGINT NOT NULL,
  holder TEXT NOT NULL,
  lease_until BIGINT NOT NULL
);

-- Every call the dialer placed, with its outcome. The attempt caps count these rows
-- (per number, across campaigns), so they are kept as long as the processing logs.
CREATE TABLE call_attempts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
  lead_id BIGINT NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
  callback_id BIGINT,
  placed_at BIGINT NOT NULL,
  local_offset_minutes INTEGER NOT NULL,
  answered_at BIGINT,
  ended_at BIGINT,
  status TEXT NOT NULL,
  outcome TEXT NOT NULL DEFAULT '',
  answered INTEGER NOT NULL DEFAULT 0,
  refused INTEGER NOT NULL DEFAULT 0,
  provider TEXT NOT NULL,
  provider_call_id TEXT NOT NULL DEFAULT '',
  worker TEXT NOT NULL,
  lease_until BIGINT NOT NULL,
  detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX call_attempts_lead ON call_attempts(lead_id, placed_at);
CREATE INDEX call_attempts_campaign ON call_attempts(campaign_id, placed_at);
CREATE INDEX call_attempts_open ON call_attempts(status, lease_until);

-- Callbacks booked by the agent or a person. `due_at` is already inside the legal
-- window (clamped when booked); `requested_at` is what was asked for.
CREATE TABLE callbacks (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
  lead_id BIGINT NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
  requested_at BIGINT NOT NULL,
  due_at BIGINT NOT NULL,
  state TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  booked_by TEXT NOT NULL,
  booked_at BIGINT NOT NULL,
  attempt_id BIGINT,
  done_at BIGINT
);
CREATE INDEX callbacks_due ON callbacks(state, due_at);
CREATE INDEX callbacks_lead ON callbacks(lead_id, id);
-- Pacing counts the calls placed in the last second per campaign and per provider, and
-- concurrency the live calls per campaign.
CREATE INDEX call_attempts_provider ON call_attempts(provider, placed_at);
CREATE INDEX call_attempts_live ON call_attempts(campaign_id, status);
