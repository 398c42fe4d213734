"""Reading submitted data the same way from a form and from a socket payload."""


def getlist(data, name: str) -> list:
    """All values of a field: a form's repeated field, or a payload's list
    (a single value becomes a list of one)."""
    if hasattr(data, "getlist"):
        return data.getlist(name)
    value = data.get(name) or []
    return value if isinstance(value, list) else [value]
