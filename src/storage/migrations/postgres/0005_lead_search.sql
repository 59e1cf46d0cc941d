-- Substring search over leads (name, e-mail, phone digits: leads.search_text) through a
-- trigram index (pg_trgm), so that a search that matches few leads does not read them
-- all. The index is filled in the background (leads/lead_search_index.h): an import
-- only queues its leads in lead_search_pending, so a million-row import does not wait
-- for the index; while leads are queued, searches fall back to reading the table.
-- pg_trgm ships with PostgreSQL and is a trusted extension: the database's owner may
-- create it. It lives in public, whatever schema the tables are in.
CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
CREATE TABLE lead_search (
  lead_id BIGINT PRIMARY KEY,
  text TEXT NOT NULL
);
CREATE INDEX lead_search_trigrams ON lead_search USING gin (text public.gin_trgm_ops);
CREATE TABLE lead_search_pending (lead_id BIGINT PRIMARY KEY);
INSERT INTO lead_search_pending (lead_id) SELECT id FROM leads WHERE erased_at IS NULL;
