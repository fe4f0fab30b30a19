"""The POST handlers of the service network share one shape: run a service action, commit it
and say so, or roll it back and show the refusal. `run_action` is that shape, once."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, redirect

from ..extensions import db
from .errors import NetworkError
from .views import show_error

# What a successful action says and where it goes, from what the action returned.
Done = Callable[[Any], tuple[str, str]]


def run_action(act: Callable[[], Any], done: Done, *, form=None, refused_url: str | None = None):
    """Run `act()` (service calls that may raise NetworkError, and their audit records).

    Passed: commit, flash the message of `done(result)` and redirect to its URL.
    Refused: roll back; a refusal about a field of `form` (or any refusal when there is no
    `refused_url`) is shown beside the form and None is returned, so the caller renders the
    form again; any other refusal is flashed and redirects to `refused_url`."""
    try:
        result = act()
    except NetworkError as error:
        db.session.rollback()
        if form is not None and (error.field is not None or refused_url is None):
            show_error(form, error)
            return None
        flash(error.message, "danger")
        return redirect(refused_url)
    db.session.commit()
    message, url = done(result)
    flash(message, "success")
    return redirect(url)


def submit_form(form, act: Callable[[], Any], done: Done, *, refused_url: str | None = None):
    """`run_action` for a posted form: None (show the form again) while it does not validate."""
    if not form.validate_on_submit():
        return None
    return run_action(act, done, form=form, refused_url=refused_url)
