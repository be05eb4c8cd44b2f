"""Several callserver nodes on one store: what each node does to stay in step with the others."""
