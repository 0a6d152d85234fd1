"""A label checked offline: its QR code's URL against a saved copy of the published keys,
with no database."""

import json

import pytest
from django.core.management import CommandError, call_command

from singleportal.certificates.keys import published_keys
from singleportal.labels import signing
from tests.labels import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def saved(people, tmp_path):
    label = factories.run(people.product, people.owner).labels.get()
    keys = tmp_path / "keys.json"
    keys.write_text(json.dumps(published_keys()))
    url = signing.label_url("https://portal.example.kh", label.code, label.payload)
    return label, url, str(keys)


def test_the_url_of_a_genuine_label_checks_offline(saved, capsys, django_assert_num_queries):
    label, url, keys = saved
    with django_assert_num_queries(0):
        call_command("verify_label", url, keys=keys)
    out = capsys.readouterr().out
    assert out.startswith(f"genuine: label {label.code}")
    assert "250 items" in out


def test_a_changed_payload_or_a_payload_moved_to_another_code_fails_offline(saved):
    label, url, keys = saved
    at = url.index("?p=SPC1.") + 12
    changed = url[:at] + ("A" if url[at] != "A" else "B") + url[at + 1 :]
    with pytest.raises(CommandError, match="not genuine: changed_payload"):
        call_command("verify_label", changed, keys=keys)
    moved = url.replace(f"/l/{label.code}/", "/l/ABCDEFGHJKMN/")
    with pytest.raises(CommandError, match="not genuine: other_code"):
        call_command("verify_label", moved, keys=keys)
