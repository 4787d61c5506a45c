from . import test_sales_hold
