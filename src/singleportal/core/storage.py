"""Files stored for a row: kept only if the row is written, gone once the row is deleted."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction
from django.db.models.fields.files import FieldFile


@contextmanager
def deleted_if_failed(*files: FieldFile) -> Iterator[None]:
    """Around the block that writes the row the files belong to (files are stored before the
    row, outside its transaction): if the block fails, the files are deleted, so no file
    outlives a row that was never written."""
    try:
        yield
    except BaseException:
        _delete(files)
        raise


def delete_on_commit(*files: FieldFile) -> None:
    """Delete the files of a row deleted in this transaction once it commits: a rolled-back
    delete keeps its row, so it keeps its files."""
    transaction.on_commit(lambda: _delete(files))


def _delete(files: tuple[FieldFile, ...]) -> None:
    for stored in files:
        if stored.name:
            stored.storage.delete(stored.name)
