import { InterceptingCall, ListenerBuilder, Metadata, status, type Interceptor } from '@grpc/grpc-js';

/**
 * Tracks a gRPC channel's calls so that it can be closed while requests still wait on it.
 *
 * Closing a channel under a pending call is not enough: the Temporal client's retry interceptor backs off on a timer
 * and then opens a new call, which throws "Channel has been shut down" from that timer, where nobody can catch it.
 * This interceptor sits innermost, so it sees every attempt: `shutDown()` cancels the attempts in flight and answers
 * every later one with CANCELLED without touching the channel, so the channel can be closed at once.
 */
export function shutdownableCalls() {
  const active = new Set<InterceptingCall>();
  let reason: string | null = null;

  const interceptor: Interceptor = (options, nextCall) => {
    if (reason !== null) return new InterceptingCall(refusedCall(reason));
    const call: InterceptingCall = new InterceptingCall(nextCall(options), {
      start(metadata, _listener, next) {
        next(
          metadata,
          new ListenerBuilder()
            .withOnReceiveStatus((callStatus, nextStatus) => {
              active.delete(call);
              nextStatus(callStatus);
            })
            .build(),
        );
      },
    });
    active.add(call);
    return call;
  };

  return {
    interceptor,
    /** Cancels every call in flight and refuses every later one (from a retry timer, or a request still running). */
    shutDown(why = 'the client is shutting down') {
      reason = why;
      for (const call of active) call.cancelWithStatus(status.CANCELLED, why);
      active.clear();
    },
  };
}

/** What an interceptor hands on to: the next call in the chain. */
type NextCall = ConstructorParameters<typeof InterceptingCall>[0];

/** A unary call that never reaches the channel: it ends CANCELLED as soon as it starts. */
function refusedCall(details: string): NextCall {
  let ended = false;
  return {
    start(_metadata, listener) {
      setImmediate(() => {
        if (ended) return;
        ended = true;
        // As a failed unary call of the channel's own ends: no message (null), then the status.
        listener?.onReceiveMessage?.(null);
        listener?.onReceiveStatus?.({ code: status.CANCELLED, details, metadata: new Metadata() });
      });
    },
    cancelWithStatus() {
      // It ends by itself.
    },
    getPeer: () => '',
    sendMessageWithContext: () => undefined,
    sendMessage: () => undefined,
    startRead: () => undefined,
    halfClose: () => undefined,
    getAuthContext: () => null,
  };
}
