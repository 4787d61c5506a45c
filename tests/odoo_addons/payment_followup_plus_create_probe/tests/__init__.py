from . import test_create_probe
