"""Gap-free numbering: the next number of a named series."""

from singleportal.core.models import Counter


def next_number(series: str) -> int:
    """The next number of `series` (1 for a new one). Call inside a transaction: the row stays
    locked until it ends, so concurrent callers queue, and a rollback gives the number back."""
    Counter.objects.bulk_create([Counter(name=series)], ignore_conflicts=True)
    counter = Counter.objects.select_for_update().get(name=series)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last
