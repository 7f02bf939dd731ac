"""``pendamping rekey-clients``: the arguments it refuses before touching any database.

The rekeying itself, on real databases, is in tests/integration/test_client_rekey.py.
"""

from __future__ import annotations

import pytest

from ops import cli


@pytest.mark.parametrize(
    ("argv", "complaint"),
    [
        (["--service", "console"], "--service"),  # the console keeps no client's data
        (["--service", "billing"], "--service"),
        (["--batch-size", "0"], "--batch-size"),
        (["--batch-size", "10001"], "--batch-size"),
        (["--batch-size", "many"], "--batch-size"),
        (["--force"], "unrecognized arguments"),
    ],
)
def test_bad_arguments_are_a_usage_error(capsys, argv, complaint):
    with pytest.raises(SystemExit) as stopped:
        cli.main(["rekey-clients", *argv])
    assert stopped.value.code == 2
    assert complaint in capsys.readouterr().err
