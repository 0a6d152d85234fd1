"""Recompute the stored name keys of every registered business after a rule change."""

from typing import Any

from django.core.management.base import BaseCommand

from singleportal.registry.actions import renormalize_names


class Command(BaseCommand):
    help = "Recompute normalised names and search keys (run after editing name rules)."

    def handle(self, *args: Any, **options: Any) -> None:
        changed = renormalize_names()
        self.stdout.write(self.style.SUCCESS(f"{changed:,} businesses updated."))
