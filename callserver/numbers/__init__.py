"""Numbers as inventory: every number ever tracked, released rather than forgotten, cooled off
before reuse. `plan` holds the rules (pure); the other modules apply them to the store, the
config being loaded, the command line and the admin API."""
