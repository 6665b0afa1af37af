"""Regenerate ``release/`` from ``source/`` with nbgrader, and refuse a release that leaks a secret.

``generate`` runs nbgrader's own ``generate_assignment`` on a temporary copy of the course, so releasing never
writes a gradebook into the course folder and the committed ``release/`` can be compared with a fresh one
(``stale_files``). ``find_leaks`` looks for any secret line of the source (see ``cells.secret_lines``) in any
released file, and ignores lines the source also shows publicly.
"""
from __future__ import annotations

import filecmp
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat

from . import cells, coursedir, nbgrader_cli, translate
from .coursedir import Course

REGENERATE_HINT = "regenerate it with `make release` (or `python -m autograder release`) and commit release/"


@dataclass(frozen=True)
class Leak:
    file: Path
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.text.strip()}"


def generate(root: Path, assignment: str, dest: Path, config: Path | None = None,
             update_catalogues: bool = False, log=None) -> Path:
    """Run ``nbgrader generate_assignment`` for ``assignment`` on a copy of the course; copy the result to
    ``dest/assignment`` with the French edition of each notebook beside it, and return that folder. ``config``: the
    nbgrader_config.py to use (default: the course's own). ``update_catalogues``: first bring
    ``locale/<language>/<assignment>.po`` up to date with the source (new units untranslated, changed ones fuzzy)."""
    root, dest = Path(root), Path(dest)
    with tempfile.TemporaryDirectory(prefix="release-") as tmp:
        work = Path(tmp)
        shutil.copy2(config or root / "nbgrader_config.py", work / "nbgrader_config.py")
        shutil.copytree(root / "source" / assignment, work / "source" / assignment)
        nbgrader_cli.generate_assignment(work, assignment)
        produced = work / "release" / assignment
        target = dest / assignment
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(produced, target)
    write_editions(root, assignment, target, update_catalogues, log)
    return target


def write_editions(root: Path, assignment: str, target: Path, update_catalogues: bool, log) -> None:
    """Mark each English notebook of ``target`` as English, and write its editions in the other languages from the
    assignment's catalogues (a unit the catalogue lacks stays in English, and is counted)."""
    english = sorted(p for p in target.glob("*.ipynb") if translate.split_edition(p.stem)[1] == translate.ENGLISH)
    notebooks = [(p.stem, nbformat.read(p, as_version=4)) for p in english]
    for path, (_, nb) in zip(english, notebooks):
        translate.set_language(nb, translate.ENGLISH)
        nbformat.write(nb, path)
    for language in translate.TRANSLATED:
        if update_catalogues:
            sources = [(stem, nbformat.read(Path(root) / "source" / assignment / f"{stem}.ipynb", as_version=4))
                       for stem, _ in notebooks]
            translate.update_assignment(root, assignment, language, sources, [nb for _, nb in notebooks])
        catalogue = translate.Translations.load(root, assignment, language)
        fuzzy = {m.id for m in catalogue.catalog if m.id and m.fuzzy}
        path = translate.catalogue_path(root, assignment, language)
        for stem, nb in notebooks:
            missing: list = []
            edition = translate.translate_notebook(nb, catalogue, missing)
            nbformat.write(edition, target / translate.edition_file(stem, language))
            if missing and log:
                review = [u for u in missing if u.text in fuzzy]
                new = [u for u in missing if u.text not in fuzzy]
                name = translate.LANGUAGE_NAMES[language]
                log(f"  {stem}: {len(missing)} unit(s) left in English in the {name} edition, in {path}:")
                if new:
                    log(f"    {len(new)} without {name} (msgstr empty): {translate.describe(new)}")
                if review:
                    log(f"    {len(review)} to review (marked '#, fuzzy': their English changed; check the old "
                        f"{name} kept there, then delete the '#, fuzzy' line): {translate.describe(review)}")


def stale_files(root: Path, assignment: str, config: Path | None = None) -> list[str]:
    """Files of ``release/assignment`` that differ from what nbgrader generates now (missing, extra, changed)."""
    root = Path(root)
    committed = root / "release" / assignment
    with tempfile.TemporaryDirectory(prefix="fresh-") as tmp:
        fresh = generate(root, assignment, Path(tmp), config)
        return _differences(fresh, committed, Path("release") / assignment)


def _differences(fresh: Path, committed: Path, label: Path) -> list[str]:
    if not committed.is_dir():
        return [f"{label}/ is missing"]
    out = []
    compared = filecmp.dircmp(fresh, committed, ignore=[])
    out += [f"{label / name} is missing" for name in compared.left_only]
    out += [f"{label / name} should not be there" for name in compared.right_only]
    out += [f"{label / name} differs" for name in compared.diff_files + compared.funny_files]
    for name in compared.common_files:  # dircmp compares shallowly: check bytes
        if name not in compared.diff_files and not filecmp.cmp(fresh / name, committed / name, shallow=False):
            out.append(f"{label / name} differs")
    for name in compared.common_dirs:
        out += _differences(fresh / name, committed / name, label / name)
    return sorted(set(out))


def find_leaks(root: Path, assignment: str) -> list[Leak]:
    """Secret lines of the source notebook that appear in any file of ``release/assignment``."""
    root = Path(root)
    source = nbformat.read(coursedir.source_notebook(root, assignment), as_version=4)
    secret = cells.protected_lines(source)
    leaks = []
    for path in sorted((root / "release" / assignment).rglob("*")):
        if not path.is_file():
            continue
        try:
            text = _release_text(path)
        except UnicodeDecodeError:
            continue
        for number, line in enumerate(text.split("\n"), start=1):
            if line.strip() in secret:
                leaks.append(Leak(path.relative_to(root), number, line))
    return leaks


def _release_text(path: Path) -> str:
    """The text to scan: for a notebook, its cells one after the other (so line numbers are readable)."""
    if path.suffix == ".ipynb":
        nb = nbformat.read(path, as_version=4)
        return "\n".join(c["source"] for c in nb.cells)
    return path.read_text(encoding="utf-8")


def release(course: Course | Path, names: list[str] | None = None, log=print) -> int:
    """Regenerate ``release/`` for ``names`` (default: every assignment); 0 when no secret leaked, 1 otherwise.
    ``course``: a ``Course`` or its root. A name that is no assignment raises ``ValueError``."""
    course = Course.of(course)
    course.check_assignments(names)
    names = names or course.assignments
    course.release.mkdir(exist_ok=True)
    status = 0
    for name in names:
        generate(course.root, name, course.release, update_catalogues=True, log=log)
        leaks = find_leaks(course.root, name)
        if leaks:
            status = 1
            log(f"REFUSED {name}: {len(leaks)} secret line(s) reached the release:")
            for leak in leaks:
                log(f"  {leak}")
        else:
            log(f"released {name} -> release/{name}/")
    return status


def lms_zip(root: Path, assignment: str) -> Path:
    """``lms/<assignment>.zip``: everything of ``release/<assignment>/`` (the English and the French edition, and
    the files beside them) in a folder named after the assignment, to upload to an LMS as the students' download."""
    import zipfile

    folder = Path(root) / "release" / assignment
    out = Path(root) / "lms" / f"{assignment}.zip"
    out.parent.mkdir(exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and ".ipynb_checkpoints" not in p.parts):
            z.write(path, f"{assignment}/{path.relative_to(folder).as_posix()}")
    return out
