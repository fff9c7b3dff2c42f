"""Shared fixtures: the real data in ../shared, and a store on each backend.

Every test that takes ``eco`` or ``db_url`` runs twice: on a SQLite file and on a real
PostgreSQL server that this conftest starts on loopback in a temporary directory (Debian's
postgresql package; `.ci/run` installs it). Without a server the PostgreSQL half is
skipped, unless XIETONG_REQUIRE_PG=1 (set by the test command), which makes it fail.
"""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from xietong.api import Ecosystem

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
DATA = SHARED / "data"
SEEDS = SHARED / "seeds"


@pytest.fixture(scope="session")
def data_dir() -> Path:
    if not DATA.is_dir():
        pytest.fail(f"{DATA} is missing: the tests read the real data in ../shared/data")
    return DATA


@pytest.fixture
def chainkg_slice(data_dir: Path, tmp_path: Path) -> Path:
    """Real ChainKG rows, fewer of them: every company, the first rows of the big files."""
    dst = tmp_path / "chainkg"
    dst.mkdir()
    limits = {"product.jsonl": 2000, "company_product.jsonl": 3000,
              "product_product.jsonl": 3000, "industry_up.jsonl": 40}
    for path in (data_dir / "chainkg").glob("*.jsonl"):
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        (dst / path.name).write_text("".join(lines[: limits.get(path.name, len(lines))]),
                                     encoding="utf-8")
    return dst


def _pg_bin() -> Path | None:
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (candidate / "initdb").exists():
            return candidate
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PostgresServer:
    """A throwaway PostgreSQL cluster on 127.0.0.1, owned by the tests."""

    def __init__(self, bin_dir: Path, root: Path) -> None:
        self.bin_dir, self.root = bin_dir, root
        self.data = root / "data"
        self.port = _free_port()
        self._run_as: list[str] = []
        if os.geteuid() == 0:  # initdb refuses to run as root
            user = "postgres" if _user_exists("postgres") else "nobody"
            shutil.chown(root, user=user)
            root.chmod(0o700)
            self._run_as = ["runuser", "-u", user, "--"]

    def _run(self, *args: str) -> None:
        subprocess.run([*self._run_as, *args], check=True, capture_output=True, cwd="/")

    def start(self) -> None:
        self._run(str(self.bin_dir / "initdb"), "-D", str(self.data), "-U", "postgres",
                  "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8")
        options = (f"-c listen_addresses=127.0.0.1 -c port={self.port} "
                   f"-c unix_socket_directories={self.root} -c fsync=off "
                   "-c full_page_writes=off -c max_connections=50")
        self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-o", options,
                  "-l", str(self.root / "log"), "-w", "start")

    def stop(self) -> None:
        self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


@pytest.fixture(scope="session")
def postgres(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PostgresServer | None]:
    bin_dir = _pg_bin()
    if bin_dir is None:
        if os.environ.get("XIETONG_REQUIRE_PG") == "1":
            pytest.fail("PostgreSQL is required (XIETONG_REQUIRE_PG=1) but initdb was not found")
        yield None
        return
    root = Path("/tmp") / f"xietong-pg-{os.getpid()}-{int(time.time())}"
    root.mkdir()
    server = PostgresServer(bin_dir, root)
    server.start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


_counter = itertools.count()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "test.db")
    server: PostgresServer | None = request.getfixturevalue("postgres")
    if server is None:
        pytest.skip("PostgreSQL is not installed")
    return server.create_database(f"t{os.getpid()}_{next(_counter)}")


@pytest.fixture
def eco(db_url: str) -> Iterator[Ecosystem]:
    ecosystem = Ecosystem(db_url)
    ecosystem.init()
    yield ecosystem
    ecosystem.close()
