"""A throwaway PostgreSQL server for tests: initdb into a temporary directory, trust
authentication, listening on a free loopback port (and a socket in its directory), stopped and
removed at the end. Run as the `postgres` user when the tests run as root (initdb refuses root).

`find_bin()` says where the server's programs are (None when PostgreSQL is not installed)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import psycopg

BIN_GLOB = "/usr/lib/postgresql/*/bin"


def find_bin() -> Path | None:
    """The directory of initdb and pg_ctl: the newest Debian cluster version, else PATH."""
    for candidate in sorted(Path("/").glob(BIN_GLOB.lstrip("/")), reverse=True):
        if (candidate / "initdb").is_file():
            return candidate
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PgServer:
    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="ib-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self.databases = 0

    def _run(self, *args: str) -> None:
        subprocess.run([*self.as_user, *args], check=True, capture_output=True, cwd=self.root)

    def start(self) -> PgServer:
        self._run(
            str(self.bin_dir / "initdb"),
            *("-D", str(self.data), "-A", "trust", "-U", "postgres"),
            *("-E", "UTF8", "--locale=C", "--no-sync"),
        )
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        self._run(
            str(self.bin_dir / "pg_ctl"),
            *("-D", str(self.data), "-l", str(self.root / "log"), "-o", options, "-w", "start"),
        )
        return self

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """A new empty database's URL."""
        self.databases += 1
        name = f"t{self.databases}"
        with psycopg.connect(self.url(), autocommit=True) as con:
            con.execute(f"CREATE DATABASE {name}")
        return self.url(name)

    def copy_database(self, url: str) -> str:
        """A new database made from the one at `url`: as a template when nobody is connected
        to it, else by pg_dump into pg_restore (the committed state, read in one snapshot)."""
        self.databases += 1
        name, source = f"t{self.databases}", url.rsplit("/", 1)[1]
        with psycopg.connect(self.url(), autocommit=True) as con:
            try:
                con.execute(f"CREATE DATABASE {name} TEMPLATE {source}")
                return self.url(name)
            except psycopg.errors.ObjectInUse:
                con.execute(f"CREATE DATABASE {name}")
        dump = subprocess.run(
            [str(self.bin_dir / "pg_dump"), "-Fc", "-d", url], check=True, capture_output=True
        )
        restore = [str(self.bin_dir / "pg_restore"), "--no-owner", "-d", self.url(name)]
        subprocess.run(restore, input=dump.stdout, check=True, capture_output=True)
        return self.url(name)

    def stop(self) -> None:
        try:
            self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
