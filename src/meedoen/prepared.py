"""Querysets compiled to SQL once per process, then run with new values.

Turning a queryset into SQL is the most expensive part of a small query: for the resident file's main query
(five joins and the visibility rule) Django spends about ten times longer building the SQL than PostgreSQL
spends running it. The SQL of a query on the request path is the same on every request; only the values
differ. A ``PreparedQuery`` builds its queryset once per database connection alias with stand-in values,
compiles it, remembers where each stand-in ended up among the parameters, and from then on runs the same
SQL with the request's values. Rows become model instances as Django's own iterable makes them (with the
converters and ``select_related`` populators worked out once, at compile time), so ``select_related``
objects and annotations arrive as usual; a ``values_list()`` query gives tuples.

The queryset stays the single definition of the rule: the SQL comes from it, not from a hand-written copy.

Limits, checked when the query is first compiled:

- Every value that varies must be a parameter of the builder, and may only be compared as it is (``=``,
  ``<``, ``>=`` …). A value that Django would transform (``icontains`` wraps it in ``%``) is refused with
  ``PreparedQueryError``. ``__in`` takes a list of parameters of a fixed length (one parameter per place;
  pad a shorter list with a repeat), not one parameter that is a list.
- Rows become model instances or, for ``values_list()``, tuples; ``values()`` and the like are refused.
- Whatever changes the shape of the SQL (which column, which joins) must not depend on a parameter; make
  one ``PreparedQuery`` per shape instead (a function under ``functools.cache`` that makes them).
- ``prefetch_related`` is not run: prefetch with ``django.db.models.prefetch_related_objects`` afterwards,
  or make the related rows a prepared query of their own.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable, ValuesListIterable, get_related_populators
from django.db.models.sql.compiler import SQLCompiler

R = TypeVar("R")  # what a row becomes: a model instance, or a tuple for values_list()

Value = uuid.UUID | dt.date | dt.datetime | int | str | bool


class PreparedQueryError(ValueError):
    """The queryset cannot be prepared: a value is transformed or expanded, so its SQL would differ."""


@dataclass(frozen=True)
class _Rows:
    """How a result row becomes a model instance (or a tuple, for ``values_list()``), worked out once from the
    compiler: what Django's ``ModelIterable`` works out again on every query (converters, the
    ``select_related`` populators)."""

    model: type[Model] | None  # None: rows are tuples
    init_list: list[str]
    start: int
    end: int
    col_count: int | None  # rows carry extra columns (for ordering) past this one
    converters: list[tuple[int, tuple[list[Any], Any]]]
    populators: list[Any]
    annotations: dict[str, int]

    @classmethod
    def of(cls, compiler: SQLCompiler, queryset: QuerySet[Any], alias: str) -> _Rows:
        """Refuses what Django's iterables would do differently: ``values()`` dicts, named or flat tuples,
        annotated ``values_list()``, composite keys, objects known from a related manager."""
        klass_info = compiler.klass_info
        select = compiler.select
        fields = [column[0] for column in select[0 : compiler.col_count]]
        if compiler.has_composite_fields(fields) or queryset._known_related_objects:  # type: ignore[attr-defined]
            raise PreparedQueryError("composite keys and known related objects are not kept")
        converters = list(compiler.get_converters(fields).items())
        if queryset._iterable_class is ValuesListIterable:
            query = queryset.query
            if query.annotation_select or query.extra_select:  # Django reorders those columns
                raise PreparedQueryError("values_list() with annotations is not kept")
            return cls(None, [], 0, compiler.col_count or len(fields), None, converters, [], {})
        if queryset._iterable_class is not ModelIterable or not klass_info:
            raise PreparedQueryError("only model instances and plain values_list() tuples are kept")
        select_fields = klass_info["select_fields"]
        start, end = select_fields[0], select_fields[-1] + 1
        return cls(
            model=klass_info["model"],
            init_list=[column[0].target.attname for column in select[start:end]],
            start=start,
            end=end,
            col_count=compiler.col_count if compiler.has_extra_select else None,
            converters=converters,
            populators=get_related_populators(klass_info, select, alias),  # type: ignore[call-arg]
            annotations=dict(compiler.annotation_col_map or {}),
        )

    def instances(self, rows: list[Any], alias: str) -> list[Any]:
        connection = connections[alias]
        objects: list[Any] = []
        for fetched in rows:
            row = list(fetched[: self.col_count] if self.col_count is not None else fetched)
            for position, (converters, expression) in self.converters:
                value = row[position]
                for converter in converters:
                    value = converter(value, expression, connection)
                row[position] = value
            if self.model is None:
                objects.append(tuple(row[self.start : self.end]))
                continue
            obj = self.model.from_db(alias, self.init_list, row[self.start : self.end])
            for populator in self.populators:
                populator.populate(row, obj)
            for name, position in self.annotations.items():
                setattr(obj, name, row[position])
            objects.append(obj)
        return objects


@dataclass(frozen=True)
class _Compiled:
    sql: str
    slots: tuple[str | None, ...]  # per SQL parameter: the builder argument it takes, or None (a constant)
    constants: tuple[Any, ...]
    kinds: dict[str, type]
    rows: _Rows


def _sentinel(kind: type, index: int) -> Any:
    """A stand-in value no real query uses, distinct per argument."""
    if kind is uuid.UUID:
        return uuid.uuid4()
    if kind is dt.datetime:
        return dt.datetime(1111, 1, 1, 1, 1, index, tzinfo=dt.UTC)
    if kind is dt.date:
        return dt.date(1111, 1, 1) + dt.timedelta(days=index)
    if kind is int:
        return -2_000_000_017 - index  # within a 32-bit integer column's range, or Django folds the lookup
    if kind is str:
        return f"\x1fprepared-{index}-{uuid.uuid4().hex}\x1f"
    raise PreparedQueryError(f"unsupported parameter type {kind.__name__}")


def _adapt(value: Any, kind: type, alias: str) -> Any:
    """The value as Django passes it to the database driver for a field of that kind."""
    connection = connections[alias]
    if kind is uuid.UUID:
        return value if connection.features.has_native_uuid_field else value.hex
    if kind is dt.datetime:
        return connection.ops.adapt_datetimefield_value(value)
    if kind is dt.date:
        return connection.ops.adapt_datefield_value(value)
    return value


class PreparedQuery(Generic[R]):
    """A queryset built by ``build(**values)``, compiled once per database alias.

    ``kinds`` names each argument of ``build`` and its type (``uuid.UUID``, ``datetime.date``,
    ``datetime.datetime``, ``int`` or ``str``)."""

    def __init__(self, build: Callable[..., QuerySet[Any, R]], **kinds: type) -> None:
        self.build = build
        self.kinds = kinds
        self._compiled: dict[str, _Compiled] = {}

    def _compile(self, alias: str) -> _Compiled:
        sentinels = {name: _sentinel(kind, i) for i, (name, kind) in enumerate(self.kinds.items())}
        queryset = self.build(**sentinels)
        if queryset._prefetch_related_lookups:  # type: ignore[attr-defined]
            raise PreparedQueryError("prefetch_related is not run by a prepared query")
        compiler = queryset.query.get_compiler(using=alias)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            raise PreparedQueryError(
                "Django folded a lookup on a stand-in value (an int for a small column?)"
            ) from None
        adapted = {name: _adapt(value, self.kinds[name], alias) for name, value in sentinels.items()}
        markers = {
            name: value.hex if isinstance(value, uuid.UUID) else str(value).strip("\x1f")
            for name, value in sentinels.items()
        }
        slots: list[str | None] = []
        constants: list[Any] = []
        for param in params:
            name = next((n for n, a in adapted.items() if type(param) is type(a) and param == a), None)
            if name is None and any(marker in str(param) for marker in markers.values()):
                raise PreparedQueryError(f"a parameter is transformed by its lookup: {param!r}")
            slots.append(name)
            constants.append(None if name else param)
        for name, marker in markers.items():
            if marker in sql.replace("-", ""):
                raise PreparedQueryError(f"parameter {name} ended up inside the SQL text")
            if name not in slots:
                raise PreparedQueryError(f"parameter {name} is not used by the query")
        rows = _Rows.of(compiler, queryset, alias)
        return _Compiled(sql, tuple(slots), tuple(constants), self.kinds, rows)

    def __call__(self, using: str = "default", **values: Value) -> list[R]:
        """The rows for these values: model instances, or tuples for ``values_list()``."""
        if values.keys() != self.kinds.keys():
            raise TypeError(f"expected values for {sorted(self.kinds)}, got {sorted(values)}")
        compiled = self._compiled.get(using)
        if compiled is None:
            compiled = self._compile(using)
            self._compiled[using] = compiled
        params = tuple(
            constant if slot is None else _adapt(values[slot], self.kinds[slot], using)
            for slot, constant in zip(compiled.slots, compiled.constants, strict=True)
        )
        with connections[using].cursor() as cursor:  # this thread's connection, not the compiling one's
            cursor.execute(compiled.sql, params)
            return compiled.rows.instances(cursor.fetchall(), using)
