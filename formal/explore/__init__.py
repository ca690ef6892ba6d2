"""The explorer: a local web page to build a timeline, watch the agreement respond, and ask by pointing.

``clausecheck explore SPEC`` serves it on 127.0.0.1 (:mod:`.server`). The app
(:mod:`.app`) answers the page's requests from the same simulator as ``simulate``
and the same warm engine as ``ask`` (:mod:`.host`); :mod:`.questions` turns what a
person points at into a formula, :mod:`.payload` turns results into the page's JSON,
and the page itself is ``static/`` (its own small script and style sheet, nothing
fetched from elsewhere).
"""
