"""The progress bar of ``SVI.run(progress_bar=True)``: tqdm's when installed, else a small one of our own."""

import sys
import time


def progress_bar(total, stream=None):
    """A bar over ``total`` steps on ``stream`` (sys.stderr by default), or None when it is not a terminal.

    The bar has ``update(loss)`` (one step done, with its loss) and ``close()``.
    """
    stream = sys.stderr if stream is None else stream
    isatty = getattr(stream, "isatty", None)
    if isatty is None or not isatty():
        return None
    try:
        from tqdm import tqdm
    except ImportError:
        return _TextBar(total, stream)
    return _TqdmBar(tqdm(total=total, file=stream, unit="step", dynamic_ncols=True))


class _TqdmBar:
    """tqdm, showing the current loss beside the steps and rate."""

    def __init__(self, bar):
        self._bar = bar

    def update(self, loss):
        self._bar.set_postfix(loss=f"{loss:.4g}", refresh=False)
        self._bar.update(1)

    def close(self):
        self._bar.close()


class _TextBar:
    """A one-line bar in tqdm's style: percentage, bar, steps, elapsed time, rate and loss, redrawn at most 10 times a second."""

    width = 24

    def __init__(self, total, stream, clock=time.monotonic):
        self.total, self.stream, self.clock = total, stream, clock
        self.start = self.last_draw = clock()
        self.done = 0
        self.loss = float("nan")

    def update(self, loss):
        self.done += 1
        self.loss = loss
        now = self.clock()
        if now - self.last_draw >= 0.1 or self.done == self.total:
            self.last_draw = now
            self._draw(now)

    def close(self):
        self._draw(self.clock())
        self.stream.write("\n")
        self.stream.flush()

    def _draw(self, now):
        elapsed = now - self.start
        fraction = self.done / self.total if self.total else 1.0
        filled = int(round(fraction * self.width))
        rate = self.done / elapsed if elapsed > 0 else 0.0
        self.stream.write(
            f"\r{fraction:4.0%}|{'#' * filled}{' ' * (self.width - filled)}| {self.done}/{self.total} "
            f"[{elapsed:.1f}s, {rate:.1f} step/s, loss={self.loss:.4g}]"
        )
        self.stream.flush()
