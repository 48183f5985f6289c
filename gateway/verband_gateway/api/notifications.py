"""The signed-in person's notifications: the inbox, marking read, the mail preference.

The partners service keeps them and knows whose they are from the actor; a notification
never names a family, its link leads to the case page where the cases access rule decides.
"""

from flask.views import MethodView
from flask_smorest import Blueprint

from verband_common.schemas import partners as p
from verband_gateway import auth, call

blp = Blueprint(
    "notifications",
    __name__,
    url_prefix="/api/me/notifications",
    description="Je meldingen: wat er gebeurde met aanmeldingen die je aanbelangen.",
)


@blp.route("")
class Inbox(MethodView):
    @auth.requires()
    @blp.arguments(p.NotificationQuery, location="query")
    @blp.response(200, p.NotificationPage)
    def get(self, query):
        """Your notifications, newest first; `before` (the oldest `created_at` shown) pages on.

        An API key has no inbox (403)."""
        before = query["before"].isoformat() if query["before"] else None
        return call(
            "partners",
            "my_notifications",
            query["limit"],
            before,
            schema=p.NotificationPage(),
        )


@blp.route("/unread")
class Unread(MethodView):
    @auth.requires()
    @blp.response(200, p.UnreadCount)
    def get(self):
        """How many notifications you have not read, and the newest unread crisis one."""
        return call("partners", "unread_count", schema=p.UnreadCount())


@blp.route("/read")
class MarkRead(MethodView):
    @auth.requires()
    @blp.arguments(p.MarkRead)
    @blp.response(200, p.MarkedRead)
    def post(self, data):
        """Mark the notifications named in `ids` read, or all of them (`all: true`)."""
        return call(
            "partners",
            "mark_notifications_read",
            p.MarkRead().dump(data),
            schema=p.MarkedRead(),
        )


@blp.route("/preferences")
class Preferences(MethodView):
    @auth.requires()
    @blp.response(200, p.NotificationPreferences)
    def get(self):
        """Your mail preference: every notification at once, a daily overview, or none (the
        inbox keeps them all; a crisis notification is always mailed at once)."""
        return call("partners", "notification_preferences", schema=p.NotificationPreferences())

    @auth.requires()
    @blp.arguments(p.NotificationPreferences)
    @blp.response(200, p.NotificationPreferences)
    def put(self, data):
        """Set your mail preference."""
        return call(
            "partners",
            "set_notification_preferences",
            p.NotificationPreferences().dump(data),
            schema=p.NotificationPreferences(),
        )
