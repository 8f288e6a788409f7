"""Run every benchmark in bench/ (``make bench``); exits non-zero if any misses its target."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

if __name__ == "__main__":
    failed = 0
    for script in sorted(HERE.glob("*.py")):
        if script.name == "run.py":
            continue
        print(f"== {script.name} ==", flush=True)
        failed += subprocess.run([sys.executable, str(script)], check=False).returncode != 0
    raise SystemExit(1 if failed else 0)
