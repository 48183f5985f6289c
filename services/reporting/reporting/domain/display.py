"""Numbers as Dutch (Belgian) text: 1.234 ; 73,2 % ; 12,5 d."""

SMALL = "<{threshold}"
HIDDEN = "x"


def number(value: float, decimals: int = 0) -> str:
    text = f"{value:,.{decimals}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def count(value) -> str:
    return number(value, 0)


def share(value: float) -> str:
    return number(value * 100, 1) + " %"


def days(value: float) -> str:
    decimals = 0 if float(value).is_integer() else 1
    return number(value, decimals) + " d"


def shown(unit: str, value) -> str:
    if value is None:
        return "–"
    return {"count": count, "share": share, "days": days}[unit](value)


def small(threshold: int) -> str:
    return SMALL.format(threshold=threshold)
