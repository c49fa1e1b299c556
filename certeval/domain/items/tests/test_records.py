from pathlib import Path

import pytest

from certeval.domain.items.check import main
from certeval.domain.items.records import LEVEL_CENTRES, ItemFileError, provisional_irt, read_item_file

GOOD = """
part: crcn-edu
competence: '1.1'
items:
- code: crcn-edu-1.1-p01
  usage: practice
  level: confirme
  audience: premier
  kind: single
  stem: Quel outil ?
  options: [{text: L'ENT, correct: true}, {text: Un réseau social}, {text: Une clé USB}]
  explanation: L'ENT est l'outil institutionnel.
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "items.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_file_reads_with_provisional_parameters_near_the_level(tmp_path: Path) -> None:
    (record,) = read_item_file(write(tmp_path, GOOD))
    assert record.audience == "premier" and record.irt.provisional
    assert abs(record.irt.b - LEVEL_CENTRES["confirme"]) <= 0.4
    assert provisional_irt(record.code, "confirme") == record.irt


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("{text: Un réseau social}", "{text: Un réseau social, correct: true}"), "exactly one right option"),
        (("audience: premier", "audience: lycee"), "audience"),
        (("level: confirme", "level: maitre"), "level must be one of"),
        (("explanation: L'ENT est l'outil institutionnel.", "explanation: ''"), "explanation is empty"),
        (("kind: single", "kind: essay"), "crcn-edu-1.1-p01"),
    ],
)
def test_each_structural_error_is_named_with_the_item_code(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    with pytest.raises(ItemFileError) as error:
        read_item_file(write(tmp_path, GOOD.replace(*change)))
    assert message in str(error.value)
    assert "crcn-edu-1.1-p01" in str(error.value)


def test_image_needs_alt_text_and_the_file(tmp_path: Path) -> None:
    text = GOOD + "  image: {file: missing.svg, alt: ''}\n"
    with pytest.raises(ItemFileError) as error:
        read_item_file(write(tmp_path, text))
    assert "alternative text" in str(error.value) and "missing.svg not found" in str(error.value)


def test_duplicate_stems_across_files_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = write(tmp_path, GOOD)
    second = tmp_path / "other.yaml"
    second.write_text(GOOD.replace("p01", "p02").replace("Quel outil ?", "QUEL  outil ?"), encoding="utf-8")
    assert main([str(first), str(second)]) == 2
    assert "same stem as crcn-edu-1.1-p01" in capsys.readouterr().out
    assert main([str(first)]) == 0
