-- The conversation engine's reading of each callee turn (sentiment) and how long the
-- agent took to answer it, and the call's running sentiment and summary at its end.
ALTER TABLE call_turns ADD COLUMN sentiment TEXT NOT NULL DEFAULT '';
ALTER TABLE call_turns ADD COLUMN sentiment_score DOUBLE PRECISION;
ALTER TABLE call_turns ADD COLUMN latency_ms INTEGER;
ALTER TABLE provider_calls ADD COLUMN sentiment_score DOUBLE PRECISION;
ALTER TABLE provider_calls ADD COLUMN summary TEXT NOT NULL DEFAULT '';
