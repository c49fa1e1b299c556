"""Bulk enrolment from CSV (``;`` or ``,``; UTF-8 with or without BOM, else Windows-1252, the
encoding of Excel's « CSV (séparateur : point-virgule) ») or XLSX, with a row-by-row
French error report. Line numbers are the spreadsheet's: the header is line 1.

Columns (header names, case and accents ignored): nom_naissance, nom_usage, prenoms,
date_naissance (JJ/MM/AAAA or AAAA-MM-JJ), lieu_naissance, email, academie (code or name),
degre (premier/second), formation (initiale/continue), niveau_vise, temps_majore (%),
formats_accessibles, autres_besoins; and the prerequisites of the référentiel:
experience_formateur_annees, experience_formateur, declaration_honneur (oui/non) and
accompagnement_apprenants (deja/projet: has accompanied, or plans to accompany, the learners the
certification targets) for the Facilitateur; volet_auto_niveau, volet_auto_date for Pix+ Édu and INSPÉ. When the campaign refuses
enrolments that miss a prerequisite, such a row is an error.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from certeval.campaigns import prerequisites
from certeval.campaigns.enrolments import EnrolmentData
from certeval.campaigns.identities import Identity, identity_refusal
from certeval.campaigns.inspe_mentions import mention_refusal
from certeval.campaigns.models import Academy, Campaign, Enrolment, PrerequisitePolicy

MAX_ROWS = 5000
REQUIRED = ("nom_naissance", "prenoms", "date_naissance", "email", "academie", "degre", "formation")
OPTIONAL = (
    "nom_usage",
    "lieu_naissance",
    "niveau_vise",
    "temps_majore",
    "formats_accessibles",
    "autres_besoins",
    "experience_formateur_annees",
    "experience_formateur",
    "declaration_honneur",
    "accompagnement_apprenants",
    "volet_auto_niveau",
    "volet_auto_date",
    "mention",
)
YES = {"oui", "o", "vrai", "1", "x", "yes"}
ACCOMPANIMENT = {"": "", "deja": "accompanied", "déjà": "accompanied", "projet": "planned"}
NO = {"", "non", "n", "faux", "0", "no"}
LABELS = {
    "nom_naissance": "nom de naissance",
    "prenoms": "prénoms",
    "date_naissance": "date de naissance",
    "email": "adresse électronique",
    "academie": "académie",
    "degre": "degré",
    "formation": "formation",
}


class ImportFileError(Exception):
    """The whole file is unusable (format, header); the message is French."""


@dataclass
class ImportRow:
    line: int
    values: dict[str, str]
    errors: list[str] = field(default_factory=list)
    data: EnrolmentData | None = None


@dataclass
class ImportPreview:
    rows: list[ImportRow]

    @property
    def errors(self) -> list[str]:
        return [error for row in self.rows for error in row.errors]

    @property
    def valid_rows(self) -> list[ImportRow]:
        return [row for row in self.rows if not row.errors]

    @property
    def is_clean(self) -> bool:
        return bool(self.rows) and not self.errors


def _key(header: str) -> str:
    folded = "".join(
        c for c in unicodedata.normalize("NFD", header.strip().lower()) if unicodedata.category(c) != "Mn"
    )
    return re.sub(r"[^a-z0-9]+", "_", folded).strip("_")


def decode_csv(raw: bytes) -> str:
    """UTF-8 (with or without BOM) when the bytes are valid UTF-8, else Windows-1252 (cp1252).

    Valid UTF-8 is almost never a cp1252 text with accents by chance (an accented cp1252 letter is
    a lone byte ≥ 0x80, invalid in UTF-8), so trying UTF-8 first is safe. cp1252 leaves five bytes
    undefined: a file using them is neither encoding and is refused."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError as error:
        raise ImportFileError(
            _("Encodage du fichier CSV non reconnu : enregistrez-le en UTF-8 ou en Windows-1252 (Excel).")
        ) from error


def _read_csv(raw: bytes) -> list[list[str]]:
    text = decode_csv(raw)
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().strftime("%d/%m/%Y")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_xlsx(raw: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        raise ImportFileError(_("Le classeur XLSX est illisible.")) from error
    sheet = workbook.worksheets[0]
    rows = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 1)]
    workbook.close()
    return rows


def read_table(fileobj: IO[bytes], name: str) -> list[list[str]]:
    raw = fileobj.read(10 * 1024 * 1024 + 1)
    if len(raw) > 10 * 1024 * 1024:
        raise ImportFileError(_("Le fichier dépasse 10 Mo."))
    if raw.startswith(b"PK\x03\x04"):
        return _read_xlsx(raw)
    if name.lower().endswith(".xlsx"):
        raise ImportFileError(_("Le classeur XLSX est illisible."))
    return _read_csv(raw)


def _parse_date(text: str) -> date | None:
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _academy(text: str, academies: dict[str, Academy]) -> Academy | None:
    return academies.get(_key(text))


def _validate(row: ImportRow, campaign: Campaign, academies: dict[str, Academy], levels: set[str]) -> None:
    v = row.values
    say = row.errors.append
    prefix = _("Ligne %(line)s : ") % {"line": row.line}
    for name in REQUIRED:
        if not v.get(name):
            say(prefix + _("%(field)s manquant(e)") % {"field": LABELS[name]})
    birth = _parse_date(v["date_naissance"]) if v.get("date_naissance") else None
    if v.get("date_naissance") and (birth is None or not date(1900, 1, 1) <= birth <= date.today()):
        say(prefix + _("date de naissance invalide « %(value)s »") % {"value": v["date_naissance"]})
    if v.get("email"):
        try:
            validate_email(v["email"])
        except ValidationError:
            say(prefix + _("adresse électronique invalide « %(value)s »") % {"value": v["email"]})
    academy = _academy(v["academie"], academies) if v.get("academie") else None
    if v.get("academie") and academy is None:
        say(prefix + _("académie inconnue « %(value)s »") % {"value": v["academie"]})
    degree = _key(v.get("degre", "")).removesuffix("_degre")
    if v.get("degre") and degree not in Enrolment.SchoolLevel.values:
        say(prefix + _("degré invalide « %(value)s » (premier ou second)") % {"value": v["degre"]})
    training = _key(v.get("formation", "")).removeprefix("formation_")
    if v.get("formation") and training not in Enrolment.Training.values:
        say(prefix + _("formation invalide « %(value)s » (initiale ou continue)") % {"value": v["formation"]})
    level = _key(v.get("niveau_vise", ""))
    if level and level not in levels:
        say(prefix + _("niveau visé inconnu « %(value)s »") % {"value": v["niveau_vise"]})
    extra = v.get("temps_majore", "").strip().rstrip("%").strip() or "0"
    if not extra.isdigit() or int(extra) > 100:
        say(
            prefix
            + _("temps majoré invalide « %(value)s » (entier de 0 à 100)") % {"value": v["temps_majore"]}
        )
    years_text = v.get("experience_formateur_annees", "").strip()
    if years_text and (not years_text.isdigit() or int(years_text) > 60):
        say(
            prefix
            + _("années d'expérience de formateur invalides « %(value)s » (entier de 0 à 60)")
            % {"value": years_text}
        )
    declared = _key(v.get("declaration_honneur", ""))
    if declared not in YES | NO:
        say(
            prefix
            + _("déclaration sur l'honneur invalide « %(value)s » (oui ou non)")
            % {"value": v["declaration_honneur"]}
        )
    accompaniment = ACCOMPANIMENT.get(_key(v.get("accompagnement_apprenants", "")))
    if accompaniment is None:
        say(
            prefix
            + _("accompagnement des apprenants invalide « %(value)s » (deja, projet ou vide)")
            % {"value": v["accompagnement_apprenants"]}
        )
    automated_level = _key(v.get("volet_auto_niveau", ""))
    if automated_level and automated_level not in levels:
        say(
            prefix + _("niveau du volet automatisé inconnu « %(value)s »") % {"value": v["volet_auto_niveau"]}
        )
    automated_on = _parse_date(v["volet_auto_date"]) if v.get("volet_auto_date") else None
    if v.get("volet_auto_date") and (automated_on is None or automated_on > timezone.localdate()):
        say(prefix + _("date du volet automatisé invalide « %(value)s »") % {"value": v["volet_auto_date"]})
    if bool(automated_level) != bool(v.get("volet_auto_date")):
        say(prefix + _("le volet automatisé demande un niveau et une date"))
    mention_text = _key(v.get("mention", "")).removeprefix("mention_")
    mention = int(mention_text) if mention_text.isdigit() else None
    if mention_text and mention is None:
        say(prefix + _("mention invalide « %(value)s » (1, 2, 3 ou 4)") % {"value": v["mention"]})
    elif training in Enrolment.Training.values:
        refusal = mention_refusal(campaign, training, mention)
        if refusal:
            say(prefix + refusal)
    if row.errors or birth is None or academy is None:
        return
    trainer = prerequisites.TrainerDeclaration(
        years=int(years_text) if years_text else None,
        description=v.get("experience_formateur", ""),
        declared=declared in YES,
        accompaniment=accompaniment or "",
    )
    automated = prerequisites.AutomatedLevel(automated_level, automated_on) if automated_on else None
    if campaign.prerequisite_policy == PrerequisitePolicy.REFUSE_ENROLMENT:
        refusal = prerequisites.unmet_message(
            prerequisites.evaluate(
                document=campaign.framework_version.document,
                trainer=trainer,
                automated=automated,
                today=timezone.localdate(),
            )
        )
        if refusal:
            say(prefix + refusal)
            return
    row.data = EnrolmentData(
        identity=Identity(
            birth_name=v["nom_naissance"],
            usual_name=v.get("nom_usage", ""),
            first_names=v["prenoms"],
            birth_date=birth,
            birth_place=v.get("lieu_naissance", ""),
            email=v["email"].strip().lower(),
        ),
        academy=academy,
        school_level=degree,
        training=training,
        target_level=level,
        extra_time_percent=int(extra),
        accessible_formats=v.get("formats_accessibles", ""),
        other_needs=v.get("autres_besoins", ""),
        trainer_experience_years=trainer.years,
        trainer_experience=trainer.description,
        trainer_experience_declared=trainer.declared,
        learner_accompaniment=trainer.accompaniment,
        automated_level=automated_level,
        automated_obtained_on=automated_on,
        mention=mention,
    )


def preview(*, campaign: Campaign, table: list[list[str]]) -> ImportPreview:
    """Check every row of a table read by ``read_table``; nothing is written."""
    if not table:
        raise ImportFileError(_("Le fichier est vide."))
    header = [_key(h) for h in table[0]]
    missing = [LABELS[c] for c in REQUIRED if c not in header]
    if missing:
        raise ImportFileError(_("Colonnes manquantes : %(cols)s.") % {"cols": ", ".join(missing)})
    if len(table) - 1 > MAX_ROWS:
        raise ImportFileError(_("Le fichier dépasse %(max)s lignes.") % {"max": MAX_ROWS})
    academies: dict[str, Academy] = {}
    for academy in Academy.objects.all():
        academies[_key(academy.code)] = academy
        academies[_key(academy.name)] = academy
    levels = {_key(level_id) for level_id, _label in campaign.level_choices}
    enrolled = set(campaign.enrolments.values_list("candidate__email", flat=True))
    seen: dict[str, int] = {}
    rows: list[ImportRow] = []
    for index, cells in enumerate(table[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        values = {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header) if h}
        row = ImportRow(line=index, values=values)
        _validate(row, campaign, academies, levels)
        email = values.get("email", "").strip().lower()
        prefix = _("Ligne %(line)s : ") % {"line": index}
        if email and email in seen:
            row.errors.append(
                prefix
                + _("adresse « %(email)s » déjà présente ligne %(other)s")
                % {"email": email, "other": seen[email]}
            )
        elif email in enrolled:
            row.errors.append(
                prefix + _("« %(email)s » est déjà inscrit à cette campagne") % {"email": email}
            )
        if email:
            seen.setdefault(email, index)
        if row.data is not None and not row.errors:
            refusal = identity_refusal(row.data.identity)
            if refusal:
                row.errors.append(prefix + refusal)
        if row.errors:
            row.data = None
        rows.append(row)
    return ImportPreview(rows=rows)
