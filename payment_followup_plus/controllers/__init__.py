from . import opt_out
