"""The load-and-fault run of `manage.py loadfault`: a fresh hub under load while it is hurt.

- harness.py: the run, from set-up to report, and the three faults
- databases.py: a fresh SQLite or PostgreSQL database, and stopping it for a while
- feedserver.py: feeds on 127.0.0.1 that grow during the run, and what they served
- tasks.py: the harness's work inside the hub (set-up, editor loop, tally), as child processes
- processes.py: child processes, each in its own session, ended by id
- report.py: figures, fault outcomes and the verdict, as JSON and as text
- wrk's script is cxhub/management/wrk.lua (statuses in 100 ms buckets with WRK_BUCKETS),
  shared with `manage.py benchmark`
"""
