-- Nothing looks sessions up by the number they were shown (a call finds its session through
-- the lease in pool_numbers), and the index cost every page view a write to a random page.
DROP INDEX visitor_sessions_by_number;
