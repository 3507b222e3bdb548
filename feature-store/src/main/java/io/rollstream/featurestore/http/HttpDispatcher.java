package io.rollstream.featurestore.http;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * One connection's requests, in order: each goes to the endpoint of its path, on the I/O thread
 * when the endpoint can answer without waiting, else on a virtual thread. HTTP/1.1 lets a client
 * send its next request before the answer to the last one, so while an answer is being worked out
 * elsewhere the connection reads nothing more and later requests wait their turn here; answers
 * always leave in the order their requests came.
 */
final class HttpDispatcher extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger LOG = LoggerFactory.getLogger(HttpDispatcher.class);

    /** A request with what its answer needs to know about the exchange. */
    private record Exchange(ApiRequest request, boolean keepAlive) {
    }

    private final HttpRoutes routes;
    private final Executor waitingWork;
    private final Queue<Exchange> queued = new ArrayDeque<>();
    private boolean answering;

    HttpDispatcher(final HttpRoutes routes, final Executor waitingWork) {
        this.routes = routes;
        this.waitingWork = waitingWork;
    }

    @Override
    protected void channelRead0(final ChannelHandlerContext ctx, final FullHttpRequest message) {
        if (message.decoderResult().isFailure()) {
            refuse(ctx, ApiAnswer.error(400, "the request is not valid HTTP/1.1 ("
                    + message.decoderResult().cause().getMessage() + "); send e.g. GET /v1/features/user/{id}"));
            return;
        }
        final Exchange exchange = new Exchange(toRequest(message), HttpUtil.isKeepAlive(message));
        if (answering) {
            queued.add(exchange);
        } else {
            dispatch(ctx, exchange);
        }
    }

    private void dispatch(final ChannelHandlerContext ctx, final Exchange exchange) {
        final Endpoint endpoint = routes.endpointFor(exchange.request().rawPath());
        final ApiAnswer now = answerWithoutWaiting(endpoint, exchange.request());
        if (now != null) {
            write(ctx, exchange, now);
            return;
        }
        answering = true;
        ctx.channel().config().setAutoRead(false);
        try {
            waitingWork.execute(() -> {
                final ApiAnswer answer = answer(endpoint, exchange.request());
                ctx.executor().execute(() -> {
                    write(ctx, exchange, answer);
                    answering = false;
                    ctx.channel().config().setAutoRead(true);
                    while (!answering && !queued.isEmpty()) {
                        dispatch(ctx, queued.poll());
                    }
                });
            });
        } catch (final RejectedExecutionException e) {
            // The server is closing.
            answering = false;
            write(ctx, exchange.request().isHead(), false, ApiAnswer.error(503, "the server is shutting down; "
                    + "retry on another instance", 1));
        }
    }

    /** Answers {@code answer} and closes the connection: what was sent cannot be read as a request. */
    static void refuse(final ChannelHandlerContext ctx, final ApiAnswer answer) {
        write(ctx, false, false, answer);
    }

    private static ApiAnswer answerWithoutWaiting(final Endpoint endpoint, final ApiRequest request) {
        try {
            return endpoint.answerWithoutWaiting(request);
        } catch (final RuntimeException e) {
            return failed(request, e);
        }
    }

    private static ApiAnswer answer(final Endpoint endpoint, final ApiRequest request) {
        try {
            return endpoint.answer(request);
        } catch (final RuntimeException e) {
            return failed(request, e);
        }
    }

    private static ApiAnswer failed(final ApiRequest request, final RuntimeException e) {
        LOG.error("Failed to answer {} {}", request.method(), request.target(), e);
        return ApiAnswer.error(500, "internal error: " + e);
    }

    private static void write(final ChannelHandlerContext ctx, final Exchange exchange, final ApiAnswer answer) {
        write(ctx, exchange.request().isHead(), exchange.keepAlive(), answer);
    }

    private static void write(final ChannelHandlerContext ctx, final boolean head, final boolean keepAlive,
                              final ApiAnswer answer) {
        final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(answer.status()),
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(answer.body()));
        final HttpHeaders headers = response.headers();
        headers.set(HttpHeaderNames.CONTENT_TYPE, answer.contentType());
        headers.setInt(HttpHeaderNames.CONTENT_LENGTH, answer.body().length);
        for (final Map.Entry<String, String> header : answer.headers().entrySet()) {
            headers.set(header.getKey(), header.getValue());
        }
        if (keepAlive) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(response, ctx.voidPromise());
        } else {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static ApiRequest toRequest(final FullHttpRequest message) {
        final String uri = originForm(message.uri());
        final int query = uri.indexOf('?');
        final Map<String, String> headers = new HashMap<>();
        for (final Map.Entry<String, String> header : message.headers()) {
            headers.putIfAbsent(header.getKey().toLowerCase(Locale.ROOT), header.getValue());
        }
        return new ApiRequest(message.method().name(), query < 0 ? uri : uri.substring(0, query),
                query < 0 ? null : uri.substring(query + 1), headers, ByteBufUtil.getBytes(message.content()));
    }

    /** {@code /path?query} also when the client sent the absolute form, {@code http://host/path?query}. */
    private static String originForm(final String uri) {
        if (uri.startsWith("/")) {
            return uri;
        }
        final int scheme = uri.indexOf("://");
        final int path = scheme < 0 ? -1 : uri.indexOf('/', scheme + 3);
        return path < 0 ? "/" : uri.substring(path);
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause) {
        if (!(cause instanceof IOException)) {
            // A client that hangs up mid-request is routine; anything else is worth a line.
            LOG.warn("Closing an HTTP connection from {} after: {}", ctx.channel().remoteAddress(), cause.toString());
        }
        ctx.close();
    }
}
