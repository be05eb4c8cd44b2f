-- What a visit's landing URL carried in the parameters its campaign's `capture_params` names,
-- by destination (`tags.NAME`, `sub_id`, `publisher`), for the pool calls it leads to.
ALTER TABLE visitor_sessions ADD COLUMN captured TEXT NOT NULL DEFAULT '{}';
