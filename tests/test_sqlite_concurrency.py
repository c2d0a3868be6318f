import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_concurrent_readers_and_writers_never_see_database_is_locked(tmp_path):
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp_path / 'hub.sqlite3'}")
    result = subprocess.run(
        [sys.executable, str(ROOT / "tests/scripts/sqlite_hammer.py")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    lines = dict(line.split(" ", 1) for line in result.stdout.splitlines() if " " in line)
    assert lines["journal_mode"] == "wal"
    assert lines["errors"] == "0", result.stdout
    assert lines["posts"] == str(4 * 25)
