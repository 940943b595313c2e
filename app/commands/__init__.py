"""Command-line subcommands: one module per command group, each with `register(subparsers)`.

A module's `register` adds its subparsers and sets `func` on each: `func(args) -> int`
returns the exit status. Modules are listed in `app.cli.COMMAND_MODULES`.
"""
