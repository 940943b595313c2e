"""`pasteup` command line: headless, scriptable, with exit codes that mean something.

0 success, 1 the job ran but found errors (preflight, validation findings),
2 bad input or usage: one line on stderr naming the file and the problem.
"""

from __future__ import annotations

import argparse
import errno
import gc
import importlib
import sys
import warnings

from app.errors import PasteupError

# Each module registers its own subcommands (see app/commands/__init__.py).
COMMAND_MODULES = (
    "app.commands.document",
    "app.commands.proof",
    "app.commands.compose",
    "app.commands.export",
    "app.commands.page",
    "app.commands.edition",
    "app.commands.store",
    "app.commands.epaper",
)


def run_editor(args: argparse.Namespace) -> int:
    """`pasteup open`: the only command that loads Qt, so it is imported here, late."""
    from app.editor.main import run

    return run(args.page, args.edition)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pasteup", description="报纸版面编排与校对 Pasteup")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    editor = subparsers.add_parser("open", help="打开版面编辑器 (open the editor)")
    editor.add_argument("page", nargs="?", help="page document (.json), edition folder or URL")
    editor.add_argument("edition", nargs="?", help="版期名 (an edition of the postgresql:// URL)")
    editor.set_defaults(func=run_editor)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    # Pillow warns on stderr about large pictures; the limit that matters is ours
    # (limits.MAX_PHOTO_PIXELS), reported as a finding or as the one-line error.
    warnings.filterwarnings("ignore", module=r"PIL\.")
    try:
        return args.func(args)
    except PasteupError as error:
        return _fail(str(error), error.exit_code)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except RecursionError:
        return _fail("输入嵌套过深 (input nested too deeply)")
    except MemoryError:
        return _fail("内存不足，输入过大 (out of memory: the input is too large)")
    except OSError as error:  # a path the file system refuses: too long, a loop, no space …
        where = f"{error.filename}: " if error.filename else ""
        return _fail(f"{where}{_os_reason(error)}")


def _fail(message: str, code: int = 2) -> int:
    """The one line: controls and line breaks from the input shown escaped, length bounded."""
    line = "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in message[:2000])
    print(f"pasteup: {line}", file=sys.stderr)
    return code


def _os_reason(error: OSError) -> str:
    reasons = {
        errno.ENAMETOOLONG: "文件名过长 (file name too long)",
        errno.ELOOP: "符号链接循环 (symlink loop)",
        errno.ENOSPC: "磁盘已满 (no space left on device)",
        errno.EACCES: "没有权限 (permission denied)",
    }
    return reasons.get(error.errno or 0, error.strerror or str(error))


def run() -> None:
    """The `pasteup` program. Everything the process made is about to go, so the interpreter's
    last garbage collection over it is skipped: it was ~80 ms of a ~0.7 s export here."""
    code = main()
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":
    run()
