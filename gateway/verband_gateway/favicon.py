"""The portal's icon: /favicon.svg, linked from every page, and /favicon.ico for the clients
that ask for it by that name without reading the page."""

from flask import Blueprint, current_app, redirect, send_from_directory

bp = Blueprint("favicon", __name__)

# The icon changes with a release at most; a day in any cache spares a request per page.
MAX_AGE = 24 * 3600


@bp.get("/favicon.svg")
def icon():
    response = send_from_directory(
        current_app.static_folder, "favicon.svg", mimetype="image/svg+xml", max_age=MAX_AGE
    )
    response.cache_control.public = True
    return response


@bp.get("/favicon.ico")
def ico():
    return redirect("/favicon.svg", code=301)
