-- Mirror of migrations/0018_session_captured.sql: the parameters a visit captured.
ALTER TABLE visitor_sessions ADD COLUMN captured TEXT COLLATE "C" NOT NULL DEFAULT '{}';
