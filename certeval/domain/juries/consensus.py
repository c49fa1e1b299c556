"""Where the jurors' independent scores agree, per item, to pre-fill the president's consensus grid.

An *item* is anything one juror scores with one value: a criterion of the dossier grid (a level or
« non observable ») or a domain of the oral score sheet (a level). For each item:

* the jurors *who scored it* are those with a non-empty value (``None`` or ``""`` = not scored);
* the item is *agreed* when at least one juror scored it and all of them gave the same value: the
  president's grid starts from that value;
* it is a *disagreement* when they gave two values or more: the president's grid starts empty
  and shows each juror's value, for the president to decide;
* it is *unscored* when nobody scored it: the grid starts empty.

Pure functions: they compute what to show; the president's save is the only write.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

AGREED = "agreed"
DISAGREEMENT = "disagreement"
UNSCORED = "unscored"


@dataclass(frozen=True)
class ItemConsensus:
    """The jurors' values for one item, in the order of the jurors given."""

    item: str
    values: tuple[tuple[str, str], ...]

    @property
    def distinct(self) -> frozenset[str]:
        return frozenset(value for _juror, value in self.values)

    @property
    def status(self) -> str:
        if not self.values:
            return UNSCORED
        return AGREED if len(self.distinct) == 1 else DISAGREEMENT

    @property
    def agreed(self) -> str | None:
        """The value every juror who scored gave, or ``None`` (disagreement or nobody scored)."""
        return self.values[0][1] if self.status == AGREED else None

    def reason(self, labels: Mapping[str, str], names: Mapping[str, str]) -> str:
        """A French sentence for the president: the agreed value or each juror's value."""
        if self.status == UNSCORED:
            return "Aucun juré n'a évalué cet élément."
        if self.status == AGREED:
            value = labels.get(self.values[0][1], self.values[0][1])
            return f"Accord des {len(self.values)} juré(s) qui l'ont évalué : {value}."
        given = " ; ".join(
            f"{names.get(juror, juror)} : {labels.get(value, value)}" for juror, value in self.values
        )
        return f"Désaccord entre les jurés ({given}) : à trancher par le président."


def item_consensus(item: str, scores: Mapping[str, Mapping[str, str | None]]) -> ItemConsensus:
    """The values given to ``item`` by the jurors of ``scores`` (juror → item → value)."""
    values = tuple((juror, value) for juror, given in scores.items() if (value := given.get(item)))
    return ItemConsensus(item, values)


def consensus_of(
    items: Iterable[str], scores: Mapping[str, Mapping[str, str | None]]
) -> dict[str, ItemConsensus]:
    """Every item's consensus, in the order of ``items``."""
    return {item: item_consensus(item, scores) for item in items}


def prefill(consensus: Mapping[str, ItemConsensus]) -> dict[str, str]:
    """The starting values of the president's grid: the agreed items only."""
    return {item: c.agreed for item, c in consensus.items() if c.agreed is not None}


def disagreements(consensus: Mapping[str, ItemConsensus]) -> list[str]:
    """The items the jurors disagree on, in order."""
    return [item for item, c in consensus.items() if c.status == DISAGREEMENT]
