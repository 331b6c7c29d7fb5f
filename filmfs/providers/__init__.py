"""Generation providers: how filmfs turns a prompt into a video take.

- ``base``: the Provider protocol, GenerationRequest, Job, JobStatus.
- ``registry``: ``discover()``, ``get(name)``, ``available()``; built-ins are ``testcard``
  (offline, the default), ``minimax``, ``replicate``, ``fal``, ``runway`` and ``luma``, plus
  plugins from the ``filmfs.providers`` entry-point group.
- ``runner``: ``run(provider, request, dest, ...) -> RunResult`` with retries, back-off,
  time-out and cancellation; safe to call from many threads at once.
- ``download``, ``transport``, ``video``, ``service``: shared HTTP plumbing.

Importing this package imports nothing heavy; import the module you need.
"""
