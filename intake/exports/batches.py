import gc
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")


def in_batches(
    objects: Iterable[T], size: int, progress: Callable[[int], None] | None = None
) -> Iterator[T]:
    """The objects, one at a time, with ``progress(count)`` called after each ``size`` of them
    and after the last one."""
    count = 0
    for obj in objects:
        yield obj
        count += 1
        if count == size:
            _batch_done(count, progress)
            count = 0
    if count:
        _batch_done(count, progress)


def _batch_done(count: int, progress) -> None:
    # Prefetched rows and their parents point at each other: cycles that only the garbage
    # collector frees, and it seldom runs a full pass, so an export's memory would grow
    # with every batch until it did.
    gc.collect()
    if progress is not None:
        progress(count)
