from . import test_followup_policy
from . import test_followup_run
from . import test_followup_concurrency
from . import test_followup_ui
from . import test_followup_tone
from . import test_followup_http
from . import test_followup_calls
from . import test_followup_packs
