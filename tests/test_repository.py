"""The repository speaks for itself: no tracked file points at a folder outside it."""
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# the folders beside the repository (spelled in parts, so that this file does not name them itself)
OUTSIDE = tuple(prefix + "shared" for prefix in ("../", "/work/")) + ("/work/" + "brief",)


def test_no_tracked_file_points_outside_the_repository():
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.split()
    pointing = []
    for name in tracked:
        path = ROOT / name
        if not path.is_file():
            continue
        text = path.read_bytes().decode("utf-8", errors="ignore")
        pointing += [f"{name}: {marker}" for marker in OUTSIDE if marker in text]
    assert not pointing, pointing
