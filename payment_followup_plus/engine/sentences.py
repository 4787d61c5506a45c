"""Putting values into sentences."""


def clause(text):
    """``text`` (a name, a reason) as it goes before the period that ends the
    sentence: without a period of its own, so "Acme Inc." and a reason that
    already ends a sentence do not end it twice ("Inc..", "contacted..")."""
    return (text or "").rstrip().rstrip(".").rstrip()
