from odoo.tools import SQL


def pre_init_hook(env):
    """Create the stored follow-up columns of account.move up front.

    On a database with many invoices, letting the ORM add them would compute
    every row at install; the daily run fills them as it goes instead.
    """
    cr = env.cr
    cr.execute(
        SQL(
            """
            ALTER TABLE account_move
                ADD COLUMN IF NOT EXISTS followup_next_date date,
                ADD COLUMN IF NOT EXISTS followup_tier integer
            """
        )
    )
