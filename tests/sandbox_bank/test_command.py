import re
import signal
import subprocess
import sys

from singleportal.cli import build_parser
from tests.sandbox_bank.conftest import call

ENV = ("SANDBOX_BANK_BIND", "PAYMENT_WEBHOOK_URL", "PAYMENT_WEBHOOK_SECRET", "PAYMENT_API_KEY")


def test_the_sandbox_bank_command_takes_its_defaults_from_the_environment(monkeypatch):
    monkeypatch.setenv("SANDBOX_BANK_BIND", "127.0.0.1:9999")
    monkeypatch.setenv("PAYMENT_WEBHOOK_URL", "http://portal.test/hook/")
    monkeypatch.setenv("PAYMENT_WEBHOOK_SECRET", "s3")
    monkeypatch.setenv("PAYMENT_API_KEY", "k3")

    args = build_parser().parse_args(["sandbox-bank"])

    assert (args.bind, args.webhook_url, args.webhook_secret, args.api_key, args.db) == (
        "127.0.0.1:9999", "http://portal.test/hook/", "s3", "k3", "var/sandbox-bank.sqlite3",
    )  # fmt: skip


def test_the_sandbox_bank_command_defaults_match_the_portal_without_environment(monkeypatch):
    for name in ENV:
        monkeypatch.delenv(name, raising=False)

    args = build_parser().parse_args(["sandbox-bank"])

    assert args.bind == "127.0.0.1:8070"
    assert args.webhook_url == "http://127.0.0.1:8000/payments/webhooks/sandbox/"
    assert (args.webhook_secret, args.api_key) == ("sandbox-webhook-secret", "sandbox-api-key")


def test_the_sandbox_bank_runs_without_django():
    """It stands for another company's system: importing it must not load the portal."""
    code = "import sys, singleportal.sandbox_bank; sys.exit('django' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_the_sandbox_bank_command_serves_until_interrupted_and_keeps_its_state_in_a_file(
    tmp_path,
):
    db = tmp_path / "var" / "bank.sqlite3"
    command = [sys.executable, "-m", "singleportal.cli", "sandbox-bank", "--bind", "127.0.0.1:0"]
    process = subprocess.Popen([*command, "--db", str(db)], stderr=subprocess.PIPE, text=True)
    try:
        assert process.stderr is not None
        started = process.stderr.readline()  # blocks until the bank says where it listens
        url = re.search(r"http://\S+?(?=/?$)", started.strip())
        assert url, started
        assert call("GET", url.group(0) + "/")[0] == 200
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0  # a bound: a loaded CI machine is slow to stop
    finally:
        process.kill()
        process.wait()
    assert db.exists()
