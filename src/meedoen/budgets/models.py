"""One pot (één geldpot): budget years, funding sources, projects, commitments, invoices and the ledger.

The ledger (``LedgerEntry``) is the single source of truth: every amount a screen, an export or the API shows
is a sum over its entries, computed in the database. Entries are never changed or removed (the queryset, the
model and, on PostgreSQL, a trigger refuse it); a wrong entry is corrected by an entry of the same kind with
the opposite amount that points at it. ``budgets/ledger.py`` holds the arithmetic, pure.

Everything belongs to one municipality. Money is ``DecimalField(decimal_places=2)``; never a float.
"""

import uuid
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from meedoen.budgets import ledger
from meedoen.catalogue.models import (
    Contract,
    Funding,
    PlacementKind,
    PriceUnit,
    Pricing,
    Proposal,
    Provider,
    Seat,
)
from meedoen.municipalities.models import Municipality
from meedoen.residents.models import LEGAL_DOMAIN_CHOICES, Resident


class LegalBasis(models.TextChoices):
    """The law a funding source's money comes from."""

    WORK = "participatiewet", _("Participatiewet (re-integratiemiddelen)")
    CARE = "wmo", _("Wmo (maatwerk)")
    PROGRAMME = "programma", _("Programmageld")


class BudgetYear(models.Model):
    """The programme's budget for one calendar year of one municipality."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("jaar"))
    is_closed = models.BooleanField(_("afgesloten"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("begrotingsjaar")
        verbose_name_plural = _("begrotingsjaren")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year"], name="budget_year_one_per_municipality"),
            models.CheckConstraint(condition=Q(year__gte=2000) & Q(year__lte=2100), name="budget_year_sane"),
        ]

    def __str__(self) -> str:
        return f"{self.year}"


class FundingSource(models.Model):
    """A stream of money in the pot (e.g. "Re-integratiemiddelen Participatiewet"), reported under one Iv3
    taakveld. Its amount is not a field: it is the ledger's budget entry, changed by mutations.

    The accept of a placement locks this row (``select_for_update``) before it reads the free budget, so
    simultaneous accepts cannot overspend the source."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    budget_year = models.ForeignKey(BudgetYear, on_delete=models.PROTECT, related_name="sources")
    name = models.CharField(_("naam"), max_length=150)
    legal_basis = models.CharField(_("wettelijke grondslag"), max_length=20, choices=LegalBasis.choices)
    taakveld = models.CharField(_("Iv3-taakveld"), max_length=8)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["taakveld", "name"]
        verbose_name = _("geldbron")
        verbose_name_plural = _("geldbronnen")
        constraints = [
            models.UniqueConstraint(
                fields=["budget_year", "name"], name="funding_source_name_unique_in_year"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Project(models.Model):
    """A project of the programme that money is allocated to (programme monitoring adds goals and indicators
    to the same project). ``code`` is the short key in exports and the API."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("naam"), max_length=150)
    description = models.TextField(_("omschrijving"), blank=True)
    is_active = models.BooleanField(_("loopt"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("project")
        verbose_name_plural = _("projecten")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="project_code_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class FundingRule(models.Model):
    """Which source (and project) pays for a placement: the rule of the municipality for a budget year.

    A rule matches a placement by the resident's legal domain of the proposal and, optionally, the placement's
    funding and kind; the most specific matching rule wins (kind and funding both set beats one set beats
    none). Without a matching rule the source of the same legal basis pays when there is exactly one."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    budget_year = models.ForeignKey(BudgetYear, on_delete=models.PROTECT, related_name="rules")
    domain = models.CharField(_("wet van het voorstel"), max_length=20, choices=LEGAL_DOMAIN_CHOICES)
    placement_funding = models.CharField(
        _("plek betaald uit"), max_length=20, choices=Funding.choices, blank=True
    )
    placement_kind = models.CharField(
        _("soort plek"), max_length=20, choices=PlacementKind.choices, blank=True
    )
    source = models.ForeignKey(FundingSource, on_delete=models.PROTECT, related_name="rules")
    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, null=True, blank=True, related_name="rules"
    )

    class Meta:
        verbose_name = _("verdeelregel")
        verbose_name_plural = _("verdeelregels")
        constraints = [
            models.UniqueConstraint(
                fields=["budget_year", "domain", "placement_funding", "placement_kind"],
                name="funding_rule_unique",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.domain}/{self.placement_funding or '*'}/{self.placement_kind or '*'} → {self.source_id}"
        )


class Commitment(models.Model):
    """Money promised for one budget year: to a resident's seat (inspanningsgericht or outputgericht), or once
    to a provider's taakgericht contract. The amounts are in the ledger; this row says what it is for and how
    it was priced, so a release or an extension can be computed the same way.

    ``starts_on``..``ends_on`` is the planned period within the year. ``attributed_by_rule`` is False when a
    person chose the source by hand, which needs ``override_reason``."""

    class Status(models.TextChoices):
        RUNNING = "loopt", _("Loopt")
        ENDED = "beeindigd", _("Beëindigd")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    budget_year = models.ForeignKey(BudgetYear, on_delete=models.PROTECT, related_name="commitments")
    source = models.ForeignKey(FundingSource, on_delete=models.PROTECT, related_name="commitments")
    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, null=True, blank=True, related_name="commitments"
    )
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    seat = models.ForeignKey(
        Seat, on_delete=models.PROTECT, null=True, blank=True, related_name="commitments"
    )
    resident = models.ForeignKey(
        Resident, on_delete=models.PROTECT, null=True, blank=True, related_name="commitments"
    )
    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, null=True, blank=True, related_name="commitments"
    )
    pricing = models.CharField(_("manier van betalen"), max_length=20, choices=Pricing.choices)
    unit = models.CharField(_("eenheid"), max_length=10, choices=PriceUnit.choices, blank=True)
    unit_price = models.DecimalField(_("prijs per eenheid"), max_digits=14, decimal_places=2)
    hours_per_week = models.DecimalField(_("uren per week"), max_digits=5, decimal_places=2, default=0)
    days_per_week = models.PositiveSmallIntegerField(_("dagen per week"), default=0)
    planned_units = models.DecimalField(_("geplande eenheden"), max_digits=10, decimal_places=2, default=0)
    starts_on = models.DateField(_("vanaf"))
    ends_on = models.DateField(_("tot en met"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.RUNNING)
    attributed_by_rule = models.BooleanField(_("volgens verdeelregel"), default=True)
    override_reason = models.TextField(_("reden voor andere geldbron"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_on"]
        verbose_name = _("verplichting")
        verbose_name_plural = _("verplichtingen")
        constraints = [
            models.CheckConstraint(
                condition=(Q(seat__isnull=False) & Q(contract__isnull=True))
                | (Q(seat__isnull=True) & Q(contract__isnull=False)),
                name="commitment_for_seat_or_contract",
            ),
            models.UniqueConstraint(fields=["seat", "budget_year"], name="commitment_one_per_seat_and_year"),
            models.UniqueConstraint(
                fields=["contract", "budget_year"], name="commitment_one_per_contract_and_year"
            ),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="commitment_period"),
            models.CheckConstraint(
                condition=Q(attributed_by_rule=True) | ~Q(override_reason=""),
                name="commitment_override_reason",
            ),
        ]
        indexes = [models.Index(fields=["budget_year", "status"], name="commitment_year_status")]

    def __str__(self) -> str:
        return f"{self.seat_id or self.contract_id} {self.budget_year_id}"

    @property
    def price(self) -> ledger.Price:
        return ledger.Price(
            pricing=ledger.Pricing(self.pricing),
            amount=self.unit_price,
            unit=ledger.Unit(self.unit) if self.unit else None,
        )

    @property
    def volume(self) -> ledger.Volume:
        return ledger.Volume(hours_per_week=self.hours_per_week, days_per_week=self.days_per_week)


class Invoice(models.Model):
    """A provider's invoice (declaratie) for one month, with a line per resident and unit."""

    class Channel(models.TextChoices):
        PORTAL = "portaal", _("Portaal")
        API = "api", _("API")
        IMPORT = "import", _("Bestand (CSV of XLSX)")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="invoices")
    number = models.CharField(_("factuurnummer"), max_length=40)
    month = models.DateField(_("maand"))  # the first day of the month invoiced
    channel = models.CharField(_("ingediend via"), max_length=10, choices=Channel.choices)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField()

    class Meta:
        ordering = ["-month", "number"]
        verbose_name = _("factuur")
        verbose_name_plural = _("facturen")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "provider", "number"], name="invoice_number_unique_per_provider"
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="invoice_month_first_day"),
        ]

    def __str__(self) -> str:
        return self.number


class Flag(models.TextChoices):
    """Why an invoice line needs a person's review before it is paid."""

    MORE_THAN_ATTENDED = "meer_dan_aanwezig", _("Meer eenheden dan de inwoner aanwezig was")
    NO_PLACEMENT = "geen_plaatsing", _("Geen lopende plaatsing in deze maand")
    PRICE_DIFFERS = "andere_prijs", _("Andere prijs dan in het contract")
    INVOICED_TWICE = "dubbel", _("Deze periode is al gefactureerd")
    OVER_COMMITMENT = "boven_verplichting", _("Meer dan er nog verplicht is")


class InvoiceLine(models.Model):
    """One line: a resident's seat (or, taakgericht, the contract), a number of units at a price, in the
    invoice's month. ``flags`` lists ``Flag`` values with the reason in words; a flagged line waits for
    review. An approved line is booked as a payment; a rejected one is corrected out of the ledger."""

    class Status(models.TextChoices):
        WAITING = "wacht", _("Wacht op controle")
        APPROVED = "goedgekeurd", _("Goedgekeurd")
        REJECTED = "afgekeurd", _("Afgekeurd")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="lines")
    row = models.PositiveIntegerField(_("regel"))
    seat = models.ForeignKey(Seat, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    commitment = models.ForeignKey(
        Commitment, on_delete=models.PROTECT, null=True, blank=True, related_name="invoice_lines"
    )
    unit = models.CharField(_("eenheid"), max_length=10, choices=PriceUnit.choices, blank=True)
    units = models.DecimalField(_("aantal"), max_digits=10, decimal_places=2)
    unit_price = models.DecimalField(_("prijs per eenheid"), max_digits=14, decimal_places=2)
    amount = models.DecimalField(_("bedrag"), max_digits=14, decimal_places=2)
    flags = models.JSONField(_("opvallend"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.WAITING)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_reason = models.TextField(_("reden"), blank=True)

    class Meta:
        ordering = ["invoice", "row"]
        verbose_name = _("factuurregel")
        verbose_name_plural = _("factuurregels")
        constraints = [
            models.UniqueConstraint(fields=["invoice", "row"], name="invoice_line_row_unique"),
            models.CheckConstraint(condition=Q(units__gte=0), name="invoice_line_units_not_negative"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="invoice_line_amount_not_negative"),
        ]
        indexes = [
            models.Index(fields=["seat", "status"], name="invoice_line_seat_status"),
            models.Index(fields=["municipality", "status"], name="invoice_line_status"),
        ]

    def __str__(self) -> str:
        return f"{self.invoice_id} #{self.row}"


class OverspendApproval(models.Model):
    """Permission, given ahead by someone with the right, for one proposal's commitment to go over the free
    budget of its source. Without it an accept that would overspend is refused."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="overspend_approval")
    source = models.ForeignKey(FundingSource, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reden"))
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField()

    class Meta:
        verbose_name = _("toestemming om over budget te gaan")
        verbose_name_plural = _("toestemmingen om over budget te gaan")
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="overspend_has_reason")]

    def __str__(self) -> str:
        return f"{self.proposal_id}"


class LedgerImmutable(Exception):
    """Raised when code tries to change or remove a ledger entry: correct it with a new entry instead."""


class LedgerQuerySet(models.QuerySet["LedgerEntry"]):
    def update(self, **kwargs: object) -> int:
        raise LedgerImmutable("Ledger entries are never changed: book a correcting entry.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise LedgerImmutable("Ledger entries are never removed: book a correcting entry.")

    def bulk_create(self, objs: Iterable[Any], *args: Any, **kwargs: Any) -> list[Any]:
        """Entries loaded in bulk (the demo) add to their running totals in the same transaction."""
        with transaction.atomic(using=self.db, savepoint=False):
            created = super().bulk_create(objs, *args, **kwargs)
            add_to_totals(created)
        return created


class LedgerEntry(models.Model):
    """One immutable entry; see ``budgets/ledger.py`` for the kinds and the sign convention."""

    id = models.BigAutoField(primary_key=True)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    budget_year = models.ForeignKey(BudgetYear, on_delete=models.PROTECT, related_name="entries")
    source = models.ForeignKey(FundingSource, on_delete=models.PROTECT, related_name="entries")
    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )
    kind = models.CharField(_("soort"), max_length=16, choices=[(k.value, k.value) for k in ledger.Kind])
    amount = models.DecimalField(_("bedrag"), max_digits=14, decimal_places=2)
    commitment = models.ForeignKey(
        Commitment, on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )
    invoice_line = models.ForeignKey(
        InvoiceLine, on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )
    corrects = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections"
    )
    booked_on = models.DateField(_("datum"))
    reason = models.TextField(_("reden"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = LedgerQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("boeking")
        verbose_name_plural = _("boekingen")
        indexes = [
            models.Index(fields=["budget_year", "source", "kind"], name="ledger_year_source_kind"),
            models.Index(fields=["commitment", "kind"], name="ledger_commitment_kind"),
            models.Index(fields=["budget_year", "project", "kind"], name="ledger_year_project_kind"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind__in=["verplichting", "vrijval", "factuur", "betaling"])
                | Q(commitment__isnull=False),
                name="ledger_money_flow_has_commitment",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["mutatie", "toewijzing"]) | ~Q(reason="") | Q(corrects__isnull=False),
                name="ledger_mutation_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(kind="toewijzing") | Q(project__isnull=False),
                name="ledger_allocation_has_project",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount}"

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise LedgerImmutable("Ledger entries are never changed: book a correcting entry.")
        with transaction.atomic(savepoint=False):  # the entry and its total, or neither
            super().save(*args, **kwargs)  # type: ignore[arg-type]
            add_to_totals([self])

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise LedgerImmutable("Ledger entries are never removed: book a correcting entry.")


class LedgerTotal(models.Model):
    """A running total of the ledger per budget year, source, project (or none) and kind: the sum of the
    amounts of every entry with that key. Every entry adds to its total in its own transaction (``save`` and
    the queryset's ``bulk_create`` call ``add_to_totals``; entries are never changed or removed, so nothing
    else can move a total). The budget page reads these few hundred rows instead of summing every entry of
    the year; the ledger stays the single source of truth (``actions.rebuild_totals`` computes them from it,
    and a test checks they agree after random sequences of actions). See
    docs/decisions/0014-ledger-running-totals.md."""

    id = models.BigAutoField(primary_key=True)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    budget_year = models.ForeignKey(BudgetYear, on_delete=models.PROTECT, related_name="totals")
    source = models.ForeignKey(FundingSource, on_delete=models.PROTECT, related_name="totals")
    project = models.ForeignKey(Project, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    kind = models.CharField(_("soort"), max_length=16, choices=[(k.value, k.value) for k in ledger.Kind])
    amount = models.DecimalField(_("bedrag"), max_digits=16, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("stand van het grootboek")
        verbose_name_plural = _("standen van het grootboek")
        constraints = [
            # Two partial constraints rather than one with NULLS NOT DISTINCT: the same on SQLite.
            models.UniqueConstraint(
                fields=["budget_year", "source", "project", "kind"],
                condition=Q(project__isnull=False),
                name="ledger_total_one_per_project_key",
            ),
            models.UniqueConstraint(
                fields=["budget_year", "source", "kind"],
                condition=Q(project__isnull=True),
                name="ledger_total_one_per_source_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_id}/{self.project_id}/{self.kind} {self.amount}"


TotalKey = tuple[uuid.UUID, uuid.UUID, uuid.UUID | None, str]  # budget year, source, project or None, kind


def total_key(entry: LedgerEntry) -> TotalKey:
    """The running total an entry adds to."""
    return (entry.budget_year_id, entry.source_id, entry.project_id, entry.kind)


def _key_order(key: TotalKey) -> tuple[str, str, bool, str, str]:
    """The one order in which every writer takes the locks of running totals: budget year, source, project
    (none last), kind. It is also the order of ``TOTALS_ORDER`` in PostgreSQL (a uuid compares as its
    lowercase hex text, the kinds are lowercase ASCII), so a lock taken by one ordered query and one taken
    key by key follow the same order."""
    year, source, project, kind = key
    return (str(year), str(source), project is None, str(project or ""), kind)


TOTALS_ORDER = ("budget_year_id", "source_id", models.F("project_id").asc(nulls_last=True), "kind")


def _key_filter(key: TotalKey) -> dict[str, object]:
    year, source, project, kind = key
    return {"budget_year_id": year, "source_id": source, "project_id": project, "kind": kind}


def lock_totals(keys: Iterable[TotalKey]) -> None:
    """Take the row locks of the running totals ``keys`` (creating a missing one at zero), always in one
    order (``_key_order``), before a writer that books on more than one total books anything. Two writers
    that touch the same totals then queue on the first one they share instead of each holding one the other
    waits for (a deadlock: two approvals booking on two sources in a different order). Call it inside the
    writer's transaction; the entries' own ``add_to_totals`` then only adds to rows this transaction holds.

    When every total exists (nearly always) it is one ordered ``SELECT ... FOR UPDATE``; otherwise the keys
    are taken one by one in the same order, a missing one created in a savepoint (another transaction that
    creates it just then makes ours wait for it, in order, and then we lock its row)."""
    ordered = sorted(set(keys), key=_key_order)
    if not ordered:
        return
    matching = Q()
    for key in ordered:
        matching |= Q(**_key_filter(key))
    totals = LedgerTotal.objects.filter(matching)
    if totals.count() == len(ordered):
        list(totals.select_for_update().order_by(*TOTALS_ORDER).values_list("id", flat=True))
        return
    municipalities = dict(
        BudgetYear.objects.filter(pk__in={key[0] for key in ordered}).values_list("pk", "municipality_id")
    )
    for key in ordered:
        one = LedgerTotal.objects.select_for_update().filter(**_key_filter(key))
        if one.values_list("id", flat=True).first() is not None:
            continue
        try:
            with transaction.atomic():
                LedgerTotal.objects.create(
                    municipality_id=municipalities[key[0]], amount=0, **_key_filter(key)
                )
        except IntegrityError:  # another transaction created it just now (and has committed): lock it
            one.values_list("id", flat=True).first()


def add_to_totals(entries: Sequence[LedgerEntry]) -> None:
    """Add new entries' amounts to their running totals, inside the entries' transaction. The UPDATE takes
    the total's row lock, so two transactions booking on the same key add up one after the other. Entries on
    more than one key (a bulk load) lock their totals first, in the one order of ``lock_totals``; a writer
    that saves entries on several keys one by one calls ``lock_totals`` itself before its first booking."""
    sums: dict[TotalKey, tuple[uuid.UUID, Decimal]] = {}
    for entry in entries:
        key = total_key(entry)
        municipality, amount = sums.get(key, (entry.municipality_id, Decimal(0)))
        sums[key] = (municipality, amount + Decimal(entry.amount))
    if len(sums) > 1:
        lock_totals(sums)
    for key in sorted(sums, key=_key_order):
        municipality_id, amount = sums[key]
        totals = LedgerTotal.objects.filter(**_key_filter(key))
        if totals.update(amount=models.F("amount") + amount):
            continue
        try:
            with transaction.atomic():
                LedgerTotal.objects.create(municipality_id=municipality_id, amount=amount, **_key_filter(key))
        except IntegrityError:  # another transaction created it just now: add to that one
            totals.update(amount=models.F("amount") + amount)
