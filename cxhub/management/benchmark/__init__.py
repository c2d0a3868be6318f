"""The parts of `manage.py benchmark` (cxhub/management/commands/benchmark.py).

- generate: realistic generated posts, spread like the demo content, in bulk
- http: mode 2, gunicorn on 127.0.0.1 driven by wrk, next to a bare view; PASS/FAIL per target
- serve: the WSGI application mode 2 runs, the hub plus the bare view (never in production)
- wrk's script is cxhub/management/wrk.lua, shared with `manage.py loadfault`
"""
