"""kombu's Redis transport, with the one fix that keeps a worker alive when Redis is lost under load.

The crash (kombu 5.7.0, celery 5.7.0, redis-py 8.1.0, the newest releases): when the connection
drops while tasks with late acknowledgement are running, the consumer's
`on_connection_error_after_connected` first `collect()`s the broken connection, which detaches its
transport (`transport.client = None`), then `close()`s it. Closing the channel gives its unacknowledged
messages back (`restore_unacked`), which needs a connection pool, whose parameters are read from
`transport.client`: `AttributeError: 'NoneType' object has no attribute 'hostname'` in `_connparams`.
`ignore_errors` around the close only ignores the transport's connection errors, so the
AttributeError ends the worker: `CRITICAL Unrecoverable error`. The same trace, from Gossip's restart,
is kombu#582; workers that stop after a Redis restart are celery#7705 and celery#8091.

Here a detached channel raises the connection error it really is, which the consumer ignores before
it reconnects. Nothing is lost by not restoring then: kombu keeps every unacknowledged message in
Redis itself (the `unacked` hash), and restores it after the visibility timeout; a Redis that comes
back empty has lost it anyway, and a worker that connects catches the projections up at once
(config/celery_app.py).
"""

from __future__ import annotations

from kombu.transport import redis as kombu_redis
from redis.exceptions import ConnectionError as RedisConnectionError


class Channel(kombu_redis.Channel):
    def _connparams(self, asynchronous: bool = False) -> dict:
        if self.connection.client is None:
            raise RedisConnectionError("the connection to the broker is closed")
        return super()._connparams(asynchronous=asynchronous)


class Transport(kombu_redis.Transport):
    Channel = Channel
