"""法律咨询 (consultation) on the shared matter workflow: the person's question and the unit's answers as a thread,
the person's 已解决, suggested articles and similar consultations for the handler. Registered on the seam in
``fawang.matters.lines`` from ConsultConfig.ready()."""
