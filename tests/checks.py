"""The "ok/FAIL" lines and the closing "N passed, N failed" of the Python
checks of `make test` (tests/count.sh reads that line)."""
import sys


class Checks:
    def __init__(self):
        self.passed = self.failed = 0

    def expect(self, ok, what, detail=""):
        """Count one check; a failure prints `detail` after its line."""
        print(("ok   " if ok else "FAIL ") + what + ("" if ok or not detail else ": " + detail))
        if ok:
            self.passed += 1
        else:
            self.failed += 1
        return ok

    def finish(self):
        """Print the closing line; exit non-zero if anything failed."""
        print("%d passed, %d failed" % (self.passed, self.failed))
        sys.exit(1 if self.failed else 0)
