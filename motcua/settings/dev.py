"""Development: the embedded default (SQLite, local files), debug on."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("MOTCUA_DEBUG", True)
