from . import opt_out
from . import portal
from . import portal_pay
