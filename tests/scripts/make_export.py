"""Writes a generated export of the old hub, for timing import_feed (README, "Benchmark").

Usage: .venv/bin/python tests/scripts/make_export.py 100000 /tmp/export.xml
"""

import os
import sys

sys.path.insert(0, os.getcwd())

from tests.newsroom.exports import write_export

posts, path = int(sys.argv[1]), sys.argv[2]
write_export(path, posts=posts)
print(f"{path}: {posts:,} posts, {os.path.getsize(path) / 1e6:,.1f} MB")
