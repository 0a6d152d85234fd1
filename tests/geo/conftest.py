# The project's browser fixtures (Debian Chromium, a phone-sized page), for the picker's
# browser test; without Playwright installed that test is skipped.
import contextlib

with contextlib.suppress(ImportError):
    from tests.browser.conftest import browser, page  # noqa: F401 - fixtures, used by name
