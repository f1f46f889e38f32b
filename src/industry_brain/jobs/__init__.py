"""Background jobs of the web app: heavy work (reading and checking an upload, loading it,
running an evaluation, publishing) runs off the event loop and reports its progress in the
`job` table. `store` keeps the rows, `runner` runs the work (database work in a thread on a
cursor of its own, Python-heavy database-free work in a worker process), `checking` is what the
worker process runs and `snapshot` the read-only lookups it is given."""
