"""The end-to-end site's command process (fawang/testing/commands.py) answers as ``python manage.py`` would: a command's
stdout, its failure (exit code, stdout and stderr) as CalledProcessError, and no state carried from one command to
the next."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator

import pytest

from fawang.testing.commands import Commands, process_env


@pytest.fixture(scope="module")
def commands(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Commands]:
    tmp = tmp_path_factory.mktemp("commands")
    env = process_env(
        {
            "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
            "FAWANG_VAR_DIR": str(tmp / "var"),
            "FAWANG_TESTING": "1",
        }
    )
    c = Commands(env)
    yield c
    c.close()


def test_a_command_answers_with_its_stdout(commands: Commands) -> None:
    assert commands.run("shell", "-c", "print('你好')").splitlines()[-1] == "你好"


def test_a_failing_command_raises_with_its_code_and_output(commands: Commands) -> None:
    with pytest.raises(subprocess.CalledProcessError) as raised:
        commands.run("shell", "-c", "print('before'); raise ValueError('broken')")
    assert raised.value.returncode == 1
    assert "before" in raised.value.stdout
    assert "ValueError: broken" in raised.value.stderr
    with pytest.raises(subprocess.CalledProcessError) as raised:
        commands.run("shell", "-c", "import sys; sys.exit(3)")
    assert raised.value.returncode == 3
    with pytest.raises(subprocess.CalledProcessError) as raised:
        commands.run("no_such_command")
    assert "Unknown command" in raised.value.stderr
    # ... and the process still answers the next one.
    assert commands.run("shell", "-c", "print(2 + 2)").splitlines()[-1] == "4"


def test_each_command_starts_from_the_same_fresh_state(commands: Commands) -> None:
    commands.run("shell", "-c", "import django.conf; django.conf.left_behind = 1; print(1)")
    left = commands.run("shell", "-c", "import django.conf; print(hasattr(django.conf, 'left_behind'))")
    assert left.splitlines()[-1] == "False"
    pids = {commands.run("shell", "-c", "import os; print(os.getpid())").splitlines()[-1] for _ in range(2)}
    assert len(pids) == 2, pids
