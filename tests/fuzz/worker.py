"""A fuzzing worker: runs `app.cli.main(argv)` in-process for request after request, under
an address-space cap, and answers with what the user would have seen.

Started by harness.py as `python worker.py LIMIT_BYTES`; reads one JSON request per line
({"argv": [...], "cwd": "..."}) and writes one JSON answer per line. An exception that escapes
main() is what the user would have seen as a traceback, and is answered as one.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import resource
import sys
import traceback


def serve(limit: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from app.cli import main

    answers = sys.stdout
    sys.stdout = sys.stderr = io.StringIO()  # nothing stray on the answer channel
    for line in sys.stdin:
        request = json.loads(line)
        os.chdir(request["cwd"])
        out, err = io.StringIO(), io.StringIO()
        crash = ""
        code = 0
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = main(request["argv"])
        except SystemExit as exit:  # argparse
            code = exit.code if isinstance(exit.code, int) else 2
        except BaseException:
            crash = traceback.format_exc()
            code = 1
        answer = {
            "code": code,
            "stderr": err.getvalue()[-4000:],
            "traceback": crash[-6000:],
            "peak_kib": _peak_kib(),
        }
        answers.write(json.dumps(answer) + "\n")
        answers.flush()


def _peak_kib() -> int:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not carried over from the
    process that started it)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


if __name__ == "__main__":
    serve(int(sys.argv[1]))
