"""Pure follow-up engine: plain Python, no ``odoo`` import.

Models are thin adapters that feed these functions with plain values and
apply what they return. Functions take ``today``/``now`` as arguments and never
read a clock, so they are tested table-driven without a database.
"""
