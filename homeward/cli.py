"""The `homeward` command: Django's management commands, e.g. `homeward audit verify`."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "homeward.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["homeward", *sys.argv[1:]])
