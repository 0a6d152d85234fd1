"""Gap-free numbering: the next number of a named series."""

from singleportal.core.models import Counter


def hold(series: str) -> Counter:
    """Lock the series' row until the transaction ends (creating it at 0 if new): whoever takes
    a number of the series, or holds it, waits until then."""
    Counter.objects.bulk_create([Counter(name=series)], ignore_conflicts=True)
    return Counter.objects.select_for_update().get(name=series)


def next_number(series: str) -> int:
    """The next number of `series` (1 for a new one). Call inside a transaction: the row stays
    locked until it ends, so concurrent callers queue, and a rollback gives the number back."""
    counter = hold(series)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last
