"""One page of a long list, with the query string its page links keep: a list of thousands
of rows (an election's observers' copies, an organisation's observers) is shown a page at a
time, and a page's address (`?page=N` beside the list's own filters) can be shared."""

from django.core.paginator import Page, Paginator


def paged(request, rows, per_page: int) -> tuple[Page, str]:
    """(the page the request asks for, the request's query string without `page`). A page
    number that is not one, or past the end, gives the first or the last page: an old link to
    a list that has since shrunk still shows something."""
    page = Paginator(rows, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()
