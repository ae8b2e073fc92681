"""Pagination that stays fast on deep pages: the page's ids first, then its rows.

`OFFSET 9000` on a query that joins the call, the organisation and the administration and reads
every listed column makes PostgreSQL sort all the matching rows, wide as they are. The late row
lookup asks for the ids of one page only (a narrow query an index serves, in the list's order),
then reads those 50 rows with their joins (one query more than the first page, which needs no
offset and is read as usual). Counting stays one `COUNT(*)`.
"""

from django.core.paginator import Paginator
from django.db.models import QuerySet
from rest_framework import pagination

# Rows a web list shows per page: as many as the API's pages (REST_FRAMEWORK["PAGE_SIZE"]). At 50,
# rendering the rows was most of a list's time (docs/PERFORMANCE.md, run M).
WEB_PAGE_SIZE = 25


class LateLookupPaginator(Paginator):
    def page(self, number):
        object_list = self.object_list
        if not isinstance(object_list, QuerySet):
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if bottom == 0:  # the first page needs no offset: one query, as usual
            return super().page(number)
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = list(object_list.values_list("pk", flat=True)[bottom:top])
        rows = {row.pk: row for row in object_list.filter(pk__in=ids)}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)


class CountedPaginator(Paginator):
    """A paginator told its count: for a `UNION` whose parts count faster one by one than the
    whole (see core.work_queue.work_queue_count)."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.__dict__["count"] = count  # Paginator.count is a cached property


def counted_page(number, per_page: int, *, count: int, rows_upto):
    """Page `number` of a `UNION` counted apart, reading its rows only up to that page
    (`rows_upto(n)`: the union's first n rows, or None when there is nothing to list)."""
    number = CountedPaginator([], per_page, count=count).get_page(number).number
    rows = rows_upto(number * per_page)
    return CountedPaginator(rows, per_page, count=count).page(number) if rows is not None else None


class PageNumberPagination(pagination.PageNumberPagination):
    """DRF's page numbers, with the late row lookup."""

    django_paginator_class = LateLookupPaginator

    def get_paginated_response_schema(self, schema):
        described = super().get_paginated_response_schema(schema)
        # `next` and `previous` are always in the answer, null on the last and the first page.
        described["required"] = ["count", "next", "previous", "results"]
        return described


class CountedPagination(PageNumberPagination):
    """DRF's page numbers over a `UNION` the view counts itself (see `CountedPaginator`)."""

    def __init__(self, count: int):
        self.given_count = count

    def django_paginator_class(self, object_list, per_page):
        return CountedPaginator(object_list, per_page, count=self.given_count)

    def requested_page(self, request) -> int:
        """The page asked for, kept within the pages there are (what the view must read up to)."""
        try:
            number = int(request.query_params.get(self.page_query_param, 1))
        except (TypeError, ValueError):
            number = 1
        last = max(1, -(-self.given_count // self.page_size))
        return min(max(number, 1), last)
