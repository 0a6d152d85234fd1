"""Handlers one app registers for another to run, so that the lower app need not import it."""

from collections.abc import Iterator
from typing import Generic, TypeVar

H = TypeVar("H")


class Handlers(Generic[H]):
    def __init__(self) -> None:
        self._handlers: list[H] = []

    def add(self, handler: H) -> H:
        """Register `handler` (usable as a decorator); registering twice has no effect."""
        if handler not in self._handlers:
            self._handlers.append(handler)
        return handler

    def remove(self, handler: H) -> None:
        if handler in self._handlers:
            self._handlers.remove(handler)

    def __iter__(self) -> Iterator[H]:
        return iter(list(self._handlers))
