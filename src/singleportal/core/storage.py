"""Files stored for a row that is about to be written."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db.models.fields.files import FieldFile


@contextmanager
def deleted_if_failed(*files: FieldFile) -> Iterator[None]:
    """Around the block that writes the row the files belong to (files are stored before the
    row, outside its transaction): if the block fails, the files are deleted, so no file
    outlives a row that was never written."""
    try:
        yield
    except BaseException:
        for stored in files:
            if stored.name:
                stored.storage.delete(stored.name)
        raise
