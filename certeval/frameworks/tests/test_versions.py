from __future__ import annotations

from pathlib import Path

import pytest

from certeval.domain.loader import FrameworkError
from certeval.frameworks.models import FrameworkVersion, ImmutableVersionError
from certeval.frameworks.services import DATA_DIR, framework_publish_directory, framework_publish_file

pytestmark = pytest.mark.django_db

EXPECTED = {
    "crcn",
    "pix-plus-edu",
    "inspe-crcn-edu",
    "langues-vivantes-innovation",
    "facilitateur-apprentissage",
    "titre-responsable-formation",
}


def test_loading_the_data_directory_publishes_the_six_frameworks_once() -> None:
    first = framework_publish_directory()
    assert {r.framework_id for r in first} == EXPECTED
    assert all(r.created and r.version_number == 1 for r in first)
    second = framework_publish_directory()
    assert not any(r.created for r in second)
    assert FrameworkVersion.objects.count() == len(EXPECTED)


def test_a_changed_file_becomes_a_new_version_and_the_old_one_stays(tmp_path: Path) -> None:
    source = DATA_DIR / "crcn.yaml"
    copy = tmp_path / "crcn.yaml"
    copy.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    assert framework_publish_file(path=copy).version_number == 1
    text = copy.read_text(encoding="utf-8").replace(
        "Mener une recherche", "Mener une recherche documentaire", 1
    )
    assert text != source.read_text(encoding="utf-8")
    copy.write_text(text, encoding="utf-8")
    result = framework_publish_file(path=copy)
    assert (result.version_number, result.created) == (2, True)
    v1, v2 = FrameworkVersion.objects.filter(framework_id="crcn").order_by("version_number")
    assert v1.content_hash != v2.content_hash
    assert "documentaire" not in v1.source_yaml and "documentaire" in v2.source_yaml
    # Reverting the file publishes a third version equal in content to the first.
    copy.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    assert framework_publish_file(path=copy).version_number == 3


def test_a_published_version_is_immutable() -> None:
    framework_publish_file(path=DATA_DIR / "crcn.yaml")
    version = FrameworkVersion.objects.get(framework_id="crcn")
    version.title = "Autre titre"
    with pytest.raises(ImmutableVersionError):
        version.save()
    with pytest.raises(ImmutableVersionError):
        FrameworkVersion.objects.filter(pk=version.pk).update(title="Autre titre")
    with pytest.raises(ImmutableVersionError):
        version.delete()
    with pytest.raises(ImmutableVersionError):
        FrameworkVersion.objects.all().delete()
    assert FrameworkVersion.objects.get(pk=version.pk).title != "Autre titre"


def test_an_invalid_file_publishes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: bad\ntitle: [unclosed\n", encoding="utf-8")
    with pytest.raises(FrameworkError) as error:
        framework_publish_file(path=bad)
    assert "bad.yaml" in str(error.value)
    assert not FrameworkVersion.objects.exists()
