"""Every output docs/user-guide.md quotes is what the command it shows prints today.

A quoted output is a fenced block right after a line ``<!-- output of: innosd ARGS -->``; the
test runs ``innosd ARGS`` and compares what it prints, line by line."""
from __future__ import annotations

import contextlib
import io
import re
import shlex
from pathlib import Path

import pytest

from innosd.cli import main

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "user-guide.md"
QUOTED = re.compile(r"<!-- output of: innosd (.+?) -->\n```[a-z]*\n(.*?)```", re.S)


def quoted_outputs():
    return QUOTED.findall(GUIDE.read_text(encoding="utf-8"))


def test_the_guide_quotes_outputs():
    assert len(quoted_outputs()) >= 2


@pytest.mark.parametrize("command, expected", quoted_outputs(), ids=lambda x: x[:60] if isinstance(x, str) else x)
def test_quoted_output_is_what_the_command_prints(command, expected):
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        main(shlex.split(command))
    assert printed.getvalue().strip() == expected.strip()
