"""The `singleportal` command: demo, serve, worker, beat, manage, check-audit,
verify-certificate."""

import argparse
import os
import subprocess
import sys
from collections.abc import Sequence

DEFAULT_BIND = "127.0.0.1:8000"


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "singleportal.config.settings")
    import django

    django.setup()


def _manage(*args: str) -> None:
    from django.core.management import call_command

    call_command(*args)


def _gunicorn(bind: str, workers: int) -> list[str]:
    return [
        sys.executable, "-m", "gunicorn", "singleportal.config.wsgi",
        "--bind", bind, "--workers", str(workers), "--access-logfile", "-",
    ]  # fmt: skip


def _celery(*args: str) -> list[str]:
    return [sys.executable, "-m", "celery", "-A", "singleportal.config", *args]


def demo(args: argparse.Namespace) -> int:
    _django()
    from django.conf import settings

    from singleportal.demo import seed

    _manage("migrate", "--no-input", "-v", "0")
    users = seed()
    url = f"http://{args.bind}/"
    print(f"\nSingle Portal demo: {url}  (API docs: {url}api/v1/docs)\n")
    print("Demo logins (password for all: Demo-Pass-2026):")
    for demo_user, totp_key in users:
        extra = f"  TOTP key {totp_key}" if totp_key else ""
        print(f"  {demo_user.role:<18} {demo_user.login:<28} {demo_user.full_name}{extra}")
    print("\nOfficers and operators need a code from an authenticator app holding the key above,")
    print("or from: singleportal totp LOGIN  (embedded demo only).")
    print("Verification codes and messages are written to var/outbox/.")
    print(f"Payments go to the sandbox bank at {settings.PAYMENT_SANDBOX_PUBLIC_URL}/\n")
    return _run_together(
        [
            _gunicorn(args.bind, 2),
            _celery("worker", "--pool=threads", "-c", "2", "-B", "-l", "INFO"),
            _sandbox_bank(f"{url}payments/webhooks/sandbox/"),
        ]
    )


def _sandbox_bank(webhook_url: str) -> list[str]:
    """The demo's payment provider, in its own process, sharing the site's secrets."""
    from django.conf import settings

    return [
        sys.executable, "-m", "singleportal.cli", "sandbox-bank",
        "--bind", settings.PAYMENT_SANDBOX_URL.removeprefix("http://"),
        "--webhook-url", webhook_url,
        "--webhook-secret", settings.PAYMENT_WEBHOOK_SECRET,
        "--api-key", settings.PAYMENT_API_KEY,
        "--db", str(settings.DATA_DIR / "sandbox-bank.sqlite3"),
    ]  # fmt: skip


def _run_together(commands: Sequence[list[str]]) -> int:
    """Run the web server and the worker until either stops or Ctrl-C."""
    processes = [subprocess.Popen(command) for command in commands]  # noqa: S603
    try:
        while True:
            for process in processes:
                try:
                    return process.wait(timeout=0.5)
                except subprocess.TimeoutExpired:
                    continue
    except KeyboardInterrupt:
        return 0
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            process.wait(timeout=20)


def serve(args: argparse.Namespace) -> int:
    return subprocess.call(_gunicorn(args.bind, args.workers))  # noqa: S603


def worker(args: argparse.Namespace) -> int:
    return subprocess.call(_celery("worker", "-l", "INFO", *args.extra))  # noqa: S603


def beat(args: argparse.Namespace) -> int:
    return subprocess.call(_celery("beat", "-l", "INFO", *args.extra))  # noqa: S603


def manage(args: argparse.Namespace) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "singleportal.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["singleportal manage", *args.extra])
    return 0


def check_audit(args: argparse.Namespace) -> int:
    _django()
    from django.core.management.base import CommandError

    try:
        _manage("check_audit")
    except CommandError as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


def totp(args: argparse.Namespace) -> int:
    """The current TOTP code of a demo account, so the demo needs no phone."""
    _django()
    from django.conf import settings
    from django_otp.oath import totp as totp_code
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if not settings.EMBEDDED:
        print("Only the embedded demo gives out codes.", file=sys.stderr)
        return 2
    device = TOTPDevice.objects.filter(user__username=args.login, confirmed=True).first()
    if device is None:
        print(f"No authenticator set up for {args.login}.", file=sys.stderr)
        return 1
    print(f"{totp_code(device.bin_key, device.step, device.t0, device.digits):06d}")
    return 0


def sandbox_bank(args: argparse.Namespace) -> int:
    """The sandbox payment provider, a separate process (no Django)."""
    import logging

    from singleportal.sandbox_bank import SandboxBank

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    bank = SandboxBank(
        args.bind,
        webhook_url=args.webhook_url,
        webhook_secret=args.webhook_secret,
        api_key=args.api_key,
        db_path=args.db,
    )
    bank.serve_forever()
    return 0


def verify_certificate(args: argparse.Namespace) -> int:
    """Check a certificate offline (no database): a PDF file, or the payload of its QR code.
    Exit 0 when genuine, 1 with the reason otherwise."""
    import json
    import urllib.request
    from pathlib import Path

    from singleportal.certificates import verification

    source = args.keys or os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/") + (
        "/.well-known/singleportal-keys.json"
    )
    if source.startswith(("https://", "http://")):
        with urllib.request.urlopen(source, timeout=20) as response:  # noqa: S310 (the user's URL)
            document = json.load(response)
    else:
        document = json.loads(Path(source).read_text())
    keys = verification.keys_by_id(document)
    # A payload, or the URL a QR code holds (with ?p=payload); anything else is a file.
    payload = verification.PAYLOAD_TEXT.search(args.certificate)
    if payload is not None and not args.certificate.lower().endswith(".pdf"):
        outcome = verification.check_payload(payload.group(0), keys)
    else:
        outcome = verification.check_pdf(Path(args.certificate).read_bytes(), keys)
    claims = outcome.claims
    if outcome.genuine:
        checked = "signature (no PDF checked)" if payload else "PDF and signature"
        names = f"{claims.get('km')} / {claims.get('en')}"
        print(f"genuine: {claims.get('t')} {claims.get('id')} of {claims.get('n')} {names}, "
              f"issued {claims.get('d')}; {checked}")  # fmt: skip
        return 0
    print(f"not genuine: {outcome.reason}", file=sys.stderr)
    return 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="singleportal", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("demo", help="migrate, load demo data, run the web server and worker")
    p.add_argument("--bind", default=DEFAULT_BIND)
    p.set_defaults(func=demo)
    p = sub.add_parser("serve", help="run the web server (gunicorn)")
    p.add_argument("--bind", default=os.environ.get("BIND", DEFAULT_BIND))
    p.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", "3")))
    p.set_defaults(func=serve)
    for name, func in (("worker", worker), ("beat", beat)):
        p = sub.add_parser(name, help=f"run the Celery {name}; extra arguments pass through")
        p.add_argument("extra", nargs=argparse.REMAINDER)
        p.set_defaults(func=func)
    p = sub.add_parser("manage", help="Django management commands")
    p.add_argument("extra", nargs=argparse.REMAINDER)
    p.set_defaults(func=manage)
    p = sub.add_parser("check-audit", help="verify the audit log's hash chain")
    p.set_defaults(func=check_audit)
    p = sub.add_parser("totp", help="current second-factor code of a demo account")
    p.add_argument("login")
    p.set_defaults(func=totp)
    p = sub.add_parser("sandbox-bank", help="run the sandbox KHQR bank (payments in the demo)")
    p.add_argument("--bind", default=os.environ.get("SANDBOX_BANK_BIND", "127.0.0.1:8070"))
    p.add_argument(
        "--webhook-url",
        default=os.environ.get(
            "PAYMENT_WEBHOOK_URL", "http://127.0.0.1:8000/payments/webhooks/sandbox/"
        ),
    )
    p.add_argument(
        "--webhook-secret",
        default=os.environ.get("PAYMENT_WEBHOOK_SECRET", "sandbox-webhook-secret"),
    )
    p.add_argument("--api-key", default=os.environ.get("PAYMENT_API_KEY", "sandbox-api-key"))
    p.add_argument("--db", default=os.environ.get("SANDBOX_BANK_DB", "var/sandbox-bank.sqlite3"))
    p.set_defaults(func=sandbox_bank)
    p = sub.add_parser("verify-certificate", help="check a certificate PDF or QR payload offline")
    p.add_argument("certificate", help="a certificate PDF, or the payload of its QR code")
    p.add_argument("--keys", help="the published keys: a URL or a file (default: SITE_URL's)")
    p.set_defaults(func=verify_certificate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
