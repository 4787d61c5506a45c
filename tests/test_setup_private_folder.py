"""The set-up works from a folder the 'postgres' user cannot enter (issue #33):
a clone in a private home folder, run as root. The cluster goes to a folder of
its own with everything it needs beside it (the password file), and the
messages say where it is."""

import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.skipif(os.geteuid() != 0, reason="the 'postgres' user is only used when run as root")
def test_the_cluster_of_a_private_clone_is_created_started_and_said_where():
    private = Path(tempfile.mkdtemp(prefix="pfp-private-"))  # mode 700: postgres cannot enter
    clone = private / "clone"
    shutil.copytree(ROOT / "setup", clone / "setup")
    port = str(_free_port())
    script = (
        "source setup/common.sh; ensure_postgres; "
        "echo DATA=$PFP_PGDATA; pfp_psql -c 'SELECT 41 + 1'; stop_postgres"
    )
    env = dict(os.environ, PFP_DB_PORT=port)
    env.pop("PFP_DB_HOST", None)
    try:
        run = subprocess.run(
            ["bash", "-c", script],
            cwd=clone,
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
        )
        out = run.stdout + run.stderr
        assert run.returncode == 0, out
        data = next(line[5:] for line in out.splitlines() if line.startswith("DATA="))
        assert not data.startswith(str(private)), "the cluster is where postgres can enter"
        assert "42" in out.splitlines()
        assert f"creating the embedded PostgreSQL cluster in {data}" in out
        assert "in .local/pgdata" not in out, "never the folder it is not in"
        assert not list(Path(data).parent.glob(".pgpw")), "the password file is removed"
    finally:
        shutil.rmtree(private, ignore_errors=True)
        if "data" in locals():
            shutil.rmtree(Path(data).parent, ignore_errors=True)
