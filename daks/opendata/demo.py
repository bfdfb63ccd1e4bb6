"""Demo content of the open data: build the files once the demography data is loaded (called by seed_demo)."""

from .build import build_open_data
from .selectors import is_stale


def seed_open_data(stdout=None) -> bool:
    """Build the open-data files unless they are current; returns True if it built them."""
    say = stdout.write if stdout is not None else (lambda _line: None)
    if not is_stale():
        say("Offene Daten: Dateien sind aktuell.")
        return False
    summary = build_open_data(progress=None)
    say(f"Offene Daten erzeugt: {', '.join(f'{f.name} ({f.rows} Zeilen)' for f in summary.files if f.format != 'txt')}")
    return True
