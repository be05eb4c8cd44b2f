-- The voicemail a caller left (the file RECORD FILE wrote under recordings_dir/voicemail), so
-- the API, the dashboard and webhooks can show it as they show a recording. NULL when the call
-- took no message; calls before this upgrade keep theirs only in their trace.
ALTER TABLE calls ADD COLUMN voicemail TEXT;
