"""Execute the committed notebooks in place with their default parameters, so that they keep the
outputs nbval compares against: ``python tools/suorita_muistiot.py [notebooks/X.ipynb ...]``.

Runs in the project's own kernel, with timings left out so that a re-run changes only what changed.
"""

from __future__ import annotations

from pathlib import Path

from kustannukset.render.startup import skip_slow_optional_imports

skip_slow_optional_imports()

import nbformat  # noqa: E402
from nbclient import NotebookClient  # noqa: E402

from kustannukset.cli.common import Parser, translate_argparse  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def execute_in_place(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        kernel_name="python3",
        timeout=600,
        record_timing=False,
        extra_arguments=["--IPKernelApp.log_level=ERROR"],
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    nbformat.write(nb, path)
    print(f"{path.relative_to(ROOT)}: suoritettu")


if __name__ == "__main__":
    translate_argparse()
    parser = Parser(
        prog="suorita_muistiot.py",
        description="Suorita muistiot paikallaan oletusparametreilla (tulokset nbval-vertailua varten).",
    )
    parser.add_argument(
        "muistiot",
        nargs="*",
        type=Path,
        metavar="MUISTIO",
        help="suoritettavat .ipynb-tiedostot (oletus: kaikki notebooks/-kansiosta)",
    )
    args = parser.parse_args()
    missing = [p for p in args.muistiot if not p.is_file()]
    if missing:
        parser.error("muistiota ei ole: " + ", ".join(str(p) for p in missing))
    paths = [p.resolve() for p in args.muistiot] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    for notebook in paths:
        execute_in_place(notebook)
