-- Substring search over leads (name, e-mail, phone digits: leads.search_text) through a
-- trigram index, so that a search that matches few leads does not read them all.
-- The index is filled in the background (leads/lead_search_index.h): an import only
-- queues its leads in lead_search_pending, so a million-row import does not wait for
-- the index; while leads are queued, searches fall back to reading the table.
-- Contentless (the text stays in leads) and without positions: a search for "98765"
-- asks for leads holding each of its trigrams, and the LIKE on leads.search_text
-- confirms them.
CREATE VIRTUAL TABLE lead_search USING fts5(text, content='', tokenize='trigram', detail='none');
CREATE TABLE lead_search_pending (lead_id INTEGER PRIMARY KEY);
INSERT INTO lead_search_pending (lead_id) SELECT id FROM leads WHERE erased_at IS NULL;
