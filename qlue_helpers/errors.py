"""The project's exceptions: one root, a few kinds a caller may want to tell apart."""


class QlueError(Exception):
    """Root of every error this package raises on purpose.

    Messages say what was expected, what came, and what to do about it.
    """


class InputError(QlueError):
    """A data file cannot be used at all (wrong type, no usable columns, empty)."""


class ParameterError(QlueError):
    """A report parameter is unknown, ill-typed or out of range."""


class RunError(QlueError):
    """A notebook run failed; the partly executed notebook is kept."""
