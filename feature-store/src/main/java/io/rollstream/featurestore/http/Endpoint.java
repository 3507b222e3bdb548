package io.rollstream.featurestore.http;

/**
 * Answers the requests under one path. The server first offers a request to
 * {@link #answerWithoutWaiting} on its I/O thread; an endpoint that would have to wait (a forward
 * to another instance, a retry during a rebalance, anything slow) returns {@code null} there, and
 * the server calls {@link #answer} on a virtual thread of its own.
 */
interface Endpoint {

    /** The answer, on whatever thread; may block. */
    ApiAnswer answer(ApiRequest request);

    /** The answer if it can be had at once without blocking, else {@code null}. */
    default ApiAnswer answerWithoutWaiting(final ApiRequest request) {
        return null;
    }
}
