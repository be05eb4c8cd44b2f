"""Every Jinja2 environment the server renders with is sandboxed; the dashboard's also
escapes, the webhooks' is immutable too."""

from __future__ import annotations

import pytest
from jinja2.exceptions import SecurityError

from callserver.web.dashboard.render import environment
from callserver.webhooks.templates import render

ESCAPE = "{{ x.__class__.__mro__[1].__subclasses__() }}"


def test_the_dashboard_escapes_what_it_shows() -> None:
    page = environment().from_string("<p>{{ caller }}</p>").render(caller="<script>x</script>")
    assert page == "<p>&lt;script&gt;x&lt;/script&gt;</p>"


def test_no_dashboard_template_reaches_python_internals() -> None:
    with pytest.raises(SecurityError):
        environment().from_string(ESCAPE).render(x="")


def test_no_webhook_template_reaches_python_internals_or_mutates() -> None:
    with pytest.raises(SecurityError):
        render(ESCAPE, {"x": ""})
    with pytest.raises(SecurityError):
        render("{{ tags.update({'a': 1}) }}", {"tags": {}})
