"""The staff workbench (工作台 · 服务事项): queues, the matter detail with its actions, window and hotline intake
(一窗办多事), a person's history, supervision of time limits and of bad ratings, callbacks and rectifications.

Rows come only from ``Matter.objects.visible_to(user)`` and the helpers in access.py (the same 404 for "missing"
and "not yours"); every write is one call of an action in fawang.matters.actions, whose Chinese messages are
shown on the form that caused them. Personal data is masked everywhere; the full ID number and phone are
shown only in the response to a "查看完整信息" POST, which writes the access log (reveal_person).

The views by concern: ``queues``, ``detail``, ``intake``, ``person``, ``supervision``; ``common`` holds what they
share. ``urls.py`` names each view by its module.
"""
