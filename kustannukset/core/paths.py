"""Where the project's files are, anchored to the package so that papermill and nbval find them
from any working directory."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = PROJECT_ROOT / "data"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
REPORTS_DIR = PROJECT_ROOT / "reports"


def display_path(path: Path) -> str:
    """A path as a user should see it in a message: relative to the project when inside it."""
    path = Path(path)
    try:
        # the folder is resolved, not the name: a link that loops cannot be resolved, and the
        # message names the link itself
        return str((path.absolute().parent.resolve() / path.name).relative_to(PROJECT_ROOT))
    except (ValueError, RuntimeError, OSError):
        return str(path)
