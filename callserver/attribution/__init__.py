"""Attribution: which source a web visit came from, what number it is shown, and which visit a
call belongs to. Pure decisions on plain values; the swap endpoint and the call edge do the I/O.
"""
