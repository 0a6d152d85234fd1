"""The bank app's pages: plain HTML, English and Khmer side by side.

This stands in for another company's app, so it does not use the portal's translations; every
string shown is in TEXT, as (English, Khmer).
"""

import sqlite3
from datetime import datetime, timedelta, timezone
from html import escape
from typing import Any

from singleportal.payments.khqr import KhqrCode

TEXT = {
    "bank": ("Sandbox bank", "ធនាគារសាកល្បង"),
    "paste": ("Paste a KHQR code", "បិទភ្ជាប់កូដ KHQR"),
    "open": ("Open", "បើក"),
    "recent": ("Recent transactions", "ប្រតិបត្តិការថ្មីៗ"),
    "none_yet": ("No transactions yet", "មិនទាន់មានប្រតិបត្តិការនៅឡើយទេ"),
    "merchant": ("Merchant", "ពាណិជ្ជករ"),
    "amount": ("Amount", "ចំនួនទឹកប្រាក់"),
    "bill": ("Bill number", "លេខវិក្កយបត្រ"),
    "expires": ("Expires", "ផុតកំណត់"),
    "payer": ("Payer account", "គណនីអ្នកបង់ប្រាក់"),
    "notify": ("Notify the merchant", "ជូនដំណឹងទៅពាណិជ្ជករ"),
    "now": ("Now", "ឥឡូវនេះ"),
    "late": ("Late (after {seconds} s)", "យឺត (ក្រោយ {seconds} វិនាទី)"),
    "never": ("Never (the merchant polls)", "មិនជូនដំណឹងទេ (ពាណិជ្ជករសួរខ្លួនឯង)"),
    "pay": ("Pay", "បង់ប្រាក់"),
    "paid": ("Paid", "បានបង់"),
    "transaction": ("Transaction", "ប្រតិបត្តិការ"),
    "type": ("Type", "ប្រភេទ"),
    "payment.succeeded": ("Payment", "ការបង់ប្រាក់"),
    "refund.succeeded": ("Refund", "ការសងប្រាក់វិញ"),
    "deliveries": ("Webhook deliveries", "ការផ្ញើដំណឹង"),
    "not_sent": ("Not sent", "មិនទាន់ផ្ញើ"),
    "back": ("Back to the merchant", "ត្រឡប់ទៅពាណិជ្ជករវិញ"),
    "cannot_pay": ("This code cannot be paid", "មិនអាចបង់ប្រាក់ដោយកូដនេះបានទេ"),
    "invalid": ("This is not a valid KHQR code", "នេះមិនមែនជាកូដ KHQR ត្រឹមត្រូវទេ"),
    "expired": ("This code has expired", "កូដនេះផុតកំណត់ហើយ"),
    "not_found": ("Page not found", "រកមិនឃើញទំព័រ"),
}

CAMBODIA = timezone(timedelta(hours=7), "ICT")

STYLE = """
body{font:16px/1.8 system-ui,"Noto Sans Khmer",sans-serif;margin:0 auto;max-width:40rem;
padding:1rem;color:#1b1b1b}
h1{font-size:1.4rem;line-height:1.5}dt{font-weight:600}dd{margin:0 0 .5rem}
label{display:block;font-weight:600;margin-top:1rem}
input,select,textarea,button{font:inherit;width:100%;box-sizing:border-box;padding:.5rem}
button{margin-top:1.5rem;background:#005a9c;color:#fff;border:0;border-radius:4px}
table{border-collapse:collapse;width:100%;font-size:.9rem}td,th{border-bottom:1px solid #ccc;
text-align:left;padding:.25rem;vertical-align:top;overflow-wrap:anywhere}
.error{border-left:5px solid #b00;padding-left:1rem}
"""


def plain(key: str, **values: Any) -> str:
    """For where markup is not allowed (title, option)."""
    return escape(" / ".join(text.format(**values) for text in TEXT[key]))


def t(key: str, **values: Any) -> str:
    english, khmer = TEXT[key]
    return (
        f'<span lang="en">{escape(english.format(**values))}</span> / '
        f'<span lang="km">{escape(khmer.format(**values))}</span>'
    )


def money(amount: int, currency: str) -> str:
    """Whole riel, or US dollars from cents; never through a float."""
    if currency == "USD":
        return f"{amount // 100:,}.{amount % 100:02d} USD"
    return f"{amount:,} ៛ {currency}"


def layout(title: str, body: str) -> str:
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{plain('bank')}</title><style>{STYLE}</style></head>"
        f"<body><p>{t('bank')}</p><main><h1>{title}</h1>{body}</main></body></html>"
    )


def home(recent: list[tuple[dict[str, Any], list[sqlite3.Row]]]) -> str:
    form = (
        '<form method="get" action="/pay">'
        f'<label for="khqr">{t("paste")}</label>'
        '<textarea id="khqr" name="khqr" rows="4" required></textarea>'
        f'<button id="open" type="submit">{t("open")}</button></form>'
    )
    rows = "".join(
        f"<tr><td>{t(event['type'])}<br><code>{escape(event['data']['transaction_id'])}</code>"
        f"</td><td>{escape(event['data']['bill_number'])}</td>"
        f"<td>{money(event['data']['amount'], event['data']['currency'])}</td>"
        f"<td>{_attempts(attempts)}</td></tr>"
        for event, attempts in recent
    )
    table = (
        f"<table><tr><th>{t('transaction')}</th><th>{t('bill')}</th><th>{t('amount')}</th>"
        f"<th>{t('deliveries')}</th></tr>{rows}</table>"
        if recent
        else f"<p>{t('none_yet')}</p>"
    )
    return layout(t("bank"), f"{form}<h2>{t('recent')}</h2>{table}")


def _attempts(attempts: list[sqlite3.Row]) -> str:
    if not attempts:
        return t("not_sent")
    return "<br>".join(
        f"{escape(row['at'])} {row['status'] or escape(row['error'])}" for row in attempts
    )


def pay_form(code: KhqrCode, payload: str, return_url: str, late_seconds: float) -> str:
    merchant = escape(code.merchant_name)
    if code.merchant_name_km:
        merchant += f' / <span lang="km">{escape(code.merchant_name_km)}</span>'
    expires = datetime.fromtimestamp(code.expires_ms / 1000, CAMBODIA)
    options = "".join(
        f'<option value="{value}">{plain(value, seconds=f"{late_seconds:g}")}</option>'
        for value in ("now", "late", "never")
    )
    body = (
        f"<dl><dt>{t('merchant')}</dt><dd>{merchant}</dd>"
        f'<dt>{t("amount")}</dt><dd id="amount">{money(code.amount, code.currency)}</dd>'
        f'<dt>{t("bill")}</dt><dd id="bill-number">{escape(code.bill_number)}</dd>'
        f"<dt>{t('expires')}</dt><dd>{expires:%Y-%m-%d %H:%M} (UTC+7)</dd></dl>"
        '<form method="post" action="/pay">'
        f'<input type="hidden" name="khqr" value="{escape(payload)}">'
        f'<input type="hidden" name="return_url" value="{escape(return_url)}">'
        f'<label for="payer_account">{t("payer")}</label>'
        '<input id="payer_account" name="payer_account" value="demo.payer@aba" required>'
        f'<label for="notify">{t("notify")}</label>'
        f'<select id="notify" name="notify">{options}</select>'
        f'<button id="pay" type="submit">{t("pay")}</button></form>'
    )
    return layout(t("pay"), body)


def paid(event: dict[str, Any], return_url: str) -> str:
    data = event["data"]
    back = f'<p><a id="back" href="{escape(return_url)}">{t("back")}</a></p>' if return_url else ""
    body = (
        f"<dl><dt>{t('transaction')}</dt>"
        f'<dd id="transaction-id"><code>{escape(data["transaction_id"])}</code></dd>'
        f"<dt>{t('amount')}</dt><dd>{money(data['amount'], data['currency'])}</dd>"
        f"<dt>{t('bill')}</dt><dd>{escape(data['bill_number'])}</dd></dl>{back}"
    )
    return layout(t("paid"), body)


def refused(title_key: str, detail: str = "") -> str:
    detail_html = f'<p class="error">{escape(detail)}</p>' if detail else ""
    return layout(t(title_key), detail_html + f'<p><a href="/">{t("bank")}</a></p>')
