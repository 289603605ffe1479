"""What every command-line tool shares: turning the project's errors into a
message and an exit status, once."""

from __future__ import annotations

import functools

import click

from search.errors import StatementsError


class CommandError(click.ClickException):
    """A StatementsError as click shows it: "Error: message", with its exit code."""

    def __init__(self, err: StatementsError):
        super().__init__(str(err))
        self.exit_code = err.exit_code


def reports_errors(command):
    """Decorates a click command so a StatementsError ends it with its message
    and exit code (never a traceback)."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except StatementsError as err:
            raise CommandError(err) from None

    return wrapper
