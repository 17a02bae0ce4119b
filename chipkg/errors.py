"""Errors that end a chipkg command, each with the exit code it maps to."""


class ChipkgError(Exception):
    """Base of the errors the CLI reports as one line, never as a traceback."""

    exit_code = 2


class UnusableInput(ChipkgError):
    """The input cannot be used at all: missing file, syntax error, no data.

    Exit code 2, distinct from 1 (the data was read and does not conform).
    """

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None,
                 column: int | None = None):
        self.file, self.line, self.column = file, line, column
        where = file or ""
        if file and line:
            where += f":{line}" + (f":{column}" if column else "")
        super().__init__(f"{where}: {message}" if where else message)
