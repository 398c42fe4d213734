"""Page-or-fragment rendering for htmx requests."""

from flask import Response, make_response, render_template, request


def wants_fragment() -> bool:
    """True for an htmx request that swaps part of a page (not a boosted navigation)."""
    return (
        request.headers.get("HX-Request") == "true" and request.headers.get("HX-Boosted") != "true"
    )


def page_or_fragment(page: str, fragment: str, status: int = 200, **context) -> Response:
    """Render the full page, or only its partial for an htmx request."""
    template = fragment if wants_fragment() else page
    response = make_response(render_template(template, **context), status)
    response.vary.add("HX-Request")
    return response


def fragment(*templates: str, status: int = 200, **context) -> Response:
    """Render one or more partials as an htmx response (extra ones swap out of band)."""
    html = "".join(render_template(t, **context) for t in templates)
    response = make_response(html, status)
    response.vary.add("HX-Request")
    return response


def refuse(message: str, status: int, fallback_url: str) -> Response:
    """Bad input or a stale action: the message as an htmx fragment, or flashed
    on the page the browser is sent back to."""
    from flask import flash, redirect

    if wants_fragment():
        return fragment("core/_flash_error.html", status=status, message=message)
    flash(message, "error")
    return redirect(fallback_url)
