"""The failure_reason texts of the installed SkyPilot release, read from its own code.

The controller composes them inside methods that need a cloud, so what can be called is called
(format_exception on SkyPilot's exception classes) and the rest is read from the modules' source:
the max-retries message as its string literals join, whether the user-program reason names the exit
codes (0.14), and the dead-controller reason. Prints one JSON object.
"""
import inspect
import json
import re

from sky import exceptions
from sky.jobs import controller, recovery_strategy, utils
from sky.utils import common_utils


def literal_after(source, marker):
    """The adjacent string literals of the call that follows `marker`, joined as Python joins them."""
    start = source.index(marker) + len(marker)
    call = source[start:source.index(')', start)]
    return ''.join(re.findall(r"f?'([^']*)'", call))


# The default (failover) strategy's retries before FAILED_NO_RESOURCE.
max_retry = recovery_strategy.FailoverStrategyExecutor._MAX_RETRY_CNT  # pylint: disable=protected-access
message = literal_after(inspect.getsource(recovery_strategy), 'ManagedJobReachedMaxRetriesError(')
no_resource = common_utils.format_exception(
    exceptions.ManagedJobReachedMaxRetriesError(message.format(max_retry=max_retry)))
print(json.dumps({
    'no_resource': no_resource,
    'precheck_bracket': common_utils.format_exception(exceptions.ResourcesUnavailableError('MSG'), use_bracket=True),
    'exit_codes_in_reason': '(user program failure)' in inspect.getsource(controller),
    'controller_dead': ("Controller process has exited abnormally ({failure_reason}). " in inspect.getsource(utils)
                        and "'Controller process is dead'" in inspect.getsource(utils)),
    'details_pointer': "'To see the details, run: '" in inspect.getsource(controller),
}))
