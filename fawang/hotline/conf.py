"""Numbers of the hotline, each with its reason."""

# A missed call is rung back within 2 working hours (the 12348 centres' usual promise: 未接来电当日回拨).
CALLBACK_WORK_HOURS = 2
# A caller who rang within these days before is a repeat caller (重复来电), a warning on the screen pop.
REPEAT_DAYS = 7
# Answered within this many seconds counts towards the service level (服务水平 20 秒).
SERVICE_LEVEL_SECONDS = 20
# How many earlier calls and matters the screen pop shows (the page stays the same size, whatever the history).
POP_HISTORY = 5
# A number not reached after this many tries closes its callback task (多次未接通); a centre may set its own.
CALLBACK_MAX_ATTEMPTS = 3
# How long a click-to-dial request may wait for the telephone system's answer (the agent is waiting at the desk).
DIAL_TIMEOUT_SECONDS = 5
