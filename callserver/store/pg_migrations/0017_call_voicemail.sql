-- Mirror of migrations/0017_call_voicemail.sql: the voicemail file the caller left, if any.
ALTER TABLE calls ADD COLUMN voicemail TEXT COLLATE "C";
