"""The review page: a playlist of shots in cut order with every take to compare.

``data`` turns a loaded project into plain review values (no I/O beyond checking the store);
``page`` renders them as one self-contained HTML file whose CSS and JavaScript (``assets``)
are inline, so the page works from ``file://`` with no network.
"""
