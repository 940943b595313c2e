"""The one exception type that reaches the user as a single line, never a traceback."""


class PasteupError(Exception):
    """A problem the user can act on: the message names the file and what is wrong.

    Convention: ``"FILE: path.to.field: what is wrong"`` where a file and field are known.
    """

    exit_code = 2
