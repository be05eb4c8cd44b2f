"""After the call: webhook, GA4 and CRM deliveries, persisted in the outbox and sent with retries.

`enqueue.enqueue_for_call` turns a call event into outbox rows inside the caller's store write;
`worker.outbox_worker` sends them. Templates are rendered when the row is written, never when it
is sent, so a retry sends exactly the bytes the first attempt sent.
"""
