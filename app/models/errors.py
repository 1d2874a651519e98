"""One exception type for everything a user can cause.

Its message is Vietnamese and says what is wrong and where; the CLI and the
GUI show it as is. Anything else that escapes is a bug in our code.
"""

from __future__ import annotations


class UserError(Exception):
    """A problem with the user's input or files, explained in Vietnamese."""

    def __init__(self, message: str, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self) -> str:
        return self.message
