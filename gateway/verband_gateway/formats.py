"""The portal's template filters for Belgian Dutch, registered once on the app; what they
write is decided in verband_common.dutch, which the exports and the services use too."""

from flask import Flask

from verband_common import dutch

FILTERS = {
    "datum": dutch.date_text,  # 05/03/2026
    "uur": dutch.time_text,  # 14:00, in Belgian time
    "weekdag": dutch.weekday_text,  # donderdag
    "getal": dutch.number_text,  # 1.234,5
    "aantal": dutch.count_text,  # {{ n|aantal("punt", "punten") }}: 1 punt, 3 punten
}


def register(app: Flask) -> None:
    from verband_gateway import municipalities  # reads partners' list: after the app exists

    for name, fn in FILTERS.items():
        app.add_template_filter(fn, name)
    app.add_template_filter(municipalities.name, "gemeente")  # 44019 -> Eeklo
