"""Public home of the error classes (see :mod:`intacct._errors` for the tree and the mapping)."""

from intacct._errors import *  # noqa: F403
from intacct._errors import __all__ as __all__
