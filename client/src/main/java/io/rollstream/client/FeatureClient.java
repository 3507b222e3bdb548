package io.rollstream.client;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads feature vectors from Rollstream's feature store over its HTTP API
 * ({@code GET /v1/features/{entity}/{id}}, {@code POST /v1/features/{entity}:batch}).
 *
 * <pre>{@code
 * try (FeatureClient features = FeatureClient.builder()
 *         .baseUrl("http://10.0.0.5:8080").baseUrl("http://10.0.0.6:8080")
 *         .build()) {
 *     FeatureVector user = features.get("user", "u1");
 *     long views = user.getLong("views_1h", 0);
 * }
 * }</pre>
 *
 * <p>Any instance answers any key, so calls take the base URLs in turn; an instance refusing
 * connections is skipped for the rest of the call and put last for a few seconds. Connections are
 * kept alive and reused (HTTP/1.1, one shared {@link HttpClient}). Every call has one deadline, the
 * request timeout, which covers its retries and their waits: a {@code 503} is retried on the next
 * instance after the server's {@code Retry-After}, up to {@link Builder#maxRetries(int)} times, and
 * never past the deadline. Batches of more than {@value #MAX_IDS_PER_REQUEST} ids are sent as
 * several requests in parallel and answered in the caller's order.
 *
 * <p>Failures are {@link FeatureClientException}s: {@link BadRequestException} for a request the
 * server refused (4xx), {@link FeaturesUnavailableException} when no answer came in time.
 * A client is thread-safe; share one per process and {@link #close()} it on shutdown.
 */
public final class FeatureClient implements AutoCloseable {

    /** The most ids the server accepts in one batch request; larger batches are split. */
    public static final int MAX_IDS_PER_REQUEST = 1000;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(1);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(2);
    public static final int DEFAULT_MAX_RETRIES = 2;

    private static final String API_PATH = "/v1/features/";
    /** The wait before a retry when the server gave no {@code Retry-After}; doubles per retry. */
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(50);

    private final HttpClient http;
    private final Instances instances;
    private final Duration requestTimeout;
    private final int maxRetries;
    private volatile boolean closed;

    private FeatureClient(final Builder builder) {
        this.instances = new Instances(builder.baseUrls);
        this.requestTimeout = builder.requestTimeout;
        this.maxRetries = builder.maxRetries;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(builder.connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** All features of one entity, windows anchored now. An entity never seen is {@code found == false}. */
    public FeatureVector get(final String entity, final String id) {
        return await(getAsync(entity, id));
    }

    /** Only the named features of one entity; an unknown name is a {@link BadRequestException}. */
    public FeatureVector get(final String entity, final String id, final Set<String> features) {
        return await(getAsync(entity, id, features));
    }

    /** All features of many entities of one type, in the order of {@code ids}. */
    public List<FeatureVector> getBatch(final String entity, final List<String> ids) {
        return await(getBatchAsync(entity, ids));
    }

    /** The named features of many entities of one type, in the order of {@code ids}. */
    public List<FeatureVector> getBatch(final String entity, final List<String> ids, final Set<String> features) {
        return await(getBatchAsync(entity, ids, features));
    }

    public CompletableFuture<FeatureVector> getAsync(final String entity, final String id) {
        return single(entity, id, null);
    }

    public CompletableFuture<FeatureVector> getAsync(final String entity, final String id,
                                                     final Set<String> features) {
        return single(entity, id, requireFeatures(features));
    }

    public CompletableFuture<List<FeatureVector>> getBatchAsync(final String entity, final List<String> ids) {
        return batch(entity, ids, null);
    }

    public CompletableFuture<List<FeatureVector>> getBatchAsync(final String entity, final List<String> ids,
                                                                final Set<String> features) {
        return batch(entity, ids, requireFeatures(features));
    }

    /**
     * Stops the client: later calls throw {@link IllegalStateException}, calls waiting to retry fail,
     * and this returns once the requests in flight have finished (each within its request timeout).
     */
    @Override
    public void close() {
        closed = true;
        http.close();
    }

    private CompletableFuture<FeatureVector> single(final String entity, final String id,
                                                    final Set<String> features) {
        final String path = API_PATH + segment("entity", entity) + "/" + segment("id", id)
                + (features == null ? "" : "?features="
                + features.stream().map(PathSegment::encode).collect(Collectors.joining(",")));
        final String subject = "features of " + entity + " '" + id + "'";
        ensureOpen();
        return new Exchange<>(subject, path, null, body -> FeatureJson.single(body, entity, id), deadline()).attempt();
    }

    private CompletableFuture<List<FeatureVector>> batch(final String entity, final List<String> ids,
                                                         final Set<String> features) {
        final String path = API_PATH + segment("entity", entity) + ":batch";
        Objects.requireNonNull(ids, "ids");
        final List<String> copy = new ArrayList<>(ids);
        for (int i = 0; i < copy.size(); i++) {
            if (copy.get(i) == null || copy.get(i).isEmpty()) {
                throw new IllegalArgumentException("ids[" + i + "] is " + (copy.get(i) == null ? "null" : "empty")
                        + "; every id must be a non-empty string");
            }
        }
        ensureOpen();
        if (copy.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        // One deadline for all parts: they run in parallel, and the caller waits for the slowest.
        final long deadline = deadline();
        final List<CompletableFuture<List<FeatureVector>>> parts = new ArrayList<>();
        for (int from = 0; from < copy.size(); from += MAX_IDS_PER_REQUEST) {
            final List<String> part = List.copyOf(copy.subList(from, Math.min(copy.size(), from + MAX_IDS_PER_REQUEST)));
            final String subject = "features of a batch of " + part.size() + " " + entity + " ids (first '"
                    + part.getFirst() + "')";
            parts.add(new Exchange<>(subject, path, FeatureJson.batchRequest(part, features),
                    body -> FeatureJson.batch(body, entity, part), deadline).attempt());
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(done -> {
            final List<FeatureVector> merged = new ArrayList<>(copy.size());
            parts.forEach(part -> merged.addAll(part.join()));
            return Collections.unmodifiableList(merged);
        });
    }

    private long deadline() {
        return System.nanoTime() + requestTimeout.toNanos();
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("this FeatureClient is closed; build a new one");
        }
    }

    private static String segment(final String what, final String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("the " + what + " is " + (value == null ? "null" : "empty")
                    + "; it must be a non-empty string");
        }
        return PathSegment.encode(value);
    }

    private static Set<String> requireFeatures(final Set<String> features) {
        if (features == null || features.isEmpty()) {
            throw new IllegalArgumentException("no feature names given; pass at least one, "
                    + "or call the overload without features for all of them");
        }
        final Set<String> copy = new LinkedHashSet<>(features);
        if (copy.contains(null) || copy.contains("")) {
            throw new IllegalArgumentException("feature names must be non-empty strings: " + features);
        }
        return copy;
    }

    private static <T> T await(final CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (final InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new FeatureClientException("interrupted while waiting for features", e);
        } catch (final ExecutionException e) {
            final Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new FeatureClientException("reading features failed: " + cause, cause);
        }
    }

    static String describe(final Duration duration) {
        final long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }

    @FunctionalInterface
    private interface AnswerReader<T> {
        T read(byte[] body) throws FeatureJson.MalformedAnswerException;
    }

    /**
     * One call: its attempts, in turn on the instances of {@link Instances#order()}, until an answer,
     * a refusal, the retries are spent or the deadline passes. Attempts run one after another, each
     * started from the completion of the one before, so the fields need no locking.
     */
    private final class Exchange<T> {

        private final String subject;
        private final String path;
        private final byte[] body;
        private final AnswerReader<T> reader;
        private final long deadline;
        private final List<URI> order = instances.order();
        private final Set<URI> refused = new HashSet<>();
        private int position;
        private int retries;

        Exchange(final String subject, final String path, final byte[] body, final AnswerReader<T> reader,
                 final long deadline) {
            this.subject = subject;
            this.path = path;
            this.body = body;
            this.reader = reader;
            this.deadline = deadline;
        }

        CompletableFuture<T> attempt() {
            if (closed) {
                return CompletableFuture.failedFuture(new FeatureClientException(
                        "the FeatureClient was closed before " + subject + " could be read"));
            }
            final URI baseUrl = order.get(position);
            final URI uri = URI.create(baseUrl + path);
            final long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return CompletableFuture.failedFuture(timedOut(uri, null));
            }
            final HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                    .timeout(Duration.ofNanos(remaining))
                    .header("Accept", "application/json");
            if (body == null) {
                request.GET();
            } else {
                request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
            }
            return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray())
                    .handle((response, failure) -> failure == null
                            ? answered(baseUrl, uri, response)
                            : notAnswered(baseUrl, uri, failure))
                    .thenCompose(Function.identity());
        }

        private CompletableFuture<T> answered(final URI baseUrl, final URI uri, final HttpResponse<byte[]> response) {
            instances.markReachable(baseUrl);
            final int status = response.statusCode();
            if (status == 200) {
                try {
                    return CompletableFuture.completedFuture(reader.read(response.body()));
                } catch (final FeatureJson.MalformedAnswerException e) {
                    return CompletableFuture.failedFuture(new FeatureClientException(request(uri) + " for " + subject
                            + " gave an unusable answer: " + e.getMessage() + ". Is " + baseUrl
                            + " a Rollstream feature store of a version this client speaks?", e));
                }
            }
            final String serverMessage = FeatureJson.errorMessage(response.body());
            if (status == 503 || status == 502 || status == 504) {
                // 503 is the feature store's "owner unavailable"; 502 and 504 are what a proxy in front says for a dead instance.
                return retry(uri, "answered " + status + ": " + serverMessage, retryAfter(response), null);
            }
            if (status >= 400 && status < 500) {
                return CompletableFuture.failedFuture(new BadRequestException(request(uri) + " for " + subject
                        + " was refused with " + status + ": " + serverMessage
                        + ". Retrying will not help; fix the request.", status, serverMessage));
            }
            return CompletableFuture.failedFuture(new FeatureClientException(request(uri) + " for " + subject
                    + " failed with " + status + ": " + serverMessage
                    + (status >= 500 ? ". The server's log at " + baseUrl + " says why." : "")));
        }

        private CompletableFuture<T> notAnswered(final URI baseUrl, final URI uri, final Throwable failure) {
            final Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (isConnectFailure(cause)) {
                instances.markUnreachable(baseUrl);
                refused.add(baseUrl);
                if (refused.size() == order.size()) {
                    return CompletableFuture.failedFuture(new FeaturesUnavailableException("no feature store instance "
                            + "accepted a connection for " + subject + ": tried " + order + ", the last failing with "
                            + cause + ". Check that the instances run and that the base URLs are right.", null, cause));
                }
                if (deadline - System.nanoTime() > 0) {
                    advance();
                    return attempt();
                }
            }
            if (cause instanceof HttpTimeoutException || deadline - System.nanoTime() <= 0) {
                return CompletableFuture.failedFuture(timedOut(uri, cause));
            }
            if (cause instanceof IOException) {
                return retry(uri, "failed: " + cause, Optional.empty(), cause);
            }
            return CompletableFuture.failedFuture(new FeatureClientException(request(uri) + " for " + subject
                    + " failed: " + cause, cause));
        }

        private CompletableFuture<T> retry(final URI uri, final String problem, final Optional<Duration> retryAfter,
                                           final Throwable cause) {
            final Duration wait = retryAfter.orElseGet(() -> FIRST_BACKOFF.multipliedBy(1L << retries));
            final String said = request(uri) + " " + problem;
            if (retries >= maxRetries) {
                return CompletableFuture.failedFuture(unavailable(said + " (attempt " + (retries + 1) + " of "
                        + (maxRetries + 1) + ")", retryAfter, cause));
            }
            if (System.nanoTime() + wait.toNanos() - deadline >= 0) {
                return CompletableFuture.failedFuture(unavailable(said + "; waiting " + describe(wait)
                        + " to retry would pass the request timeout of " + describe(requestTimeout), retryAfter, cause));
            }
            retries++;
            advance();
            return CompletableFuture.supplyAsync(this::attempt,
                            CompletableFuture.delayedExecutor(wait.toNanos(), TimeUnit.NANOSECONDS))
                    .thenCompose(Function.identity());
        }

        /** The next instance in this call's order that has not refused a connection. */
        private void advance() {
            do {
                position = (position + 1) % order.size();
            } while (refused.contains(order.get(position)));
        }

        private FeaturesUnavailableException unavailable(final String said, final Optional<Duration> retryAfter,
                                                         final Throwable cause) {
            return new FeaturesUnavailableException(capitalized(subject) + " are unavailable: " + said + ". "
                    + retryAfter.map(wait -> "Ask again after " + describe(wait)).orElse("Ask again later")
                    + " or score without them; FeatureClient.builder().maxRetries(..) and .requestTimeout(..) "
                    + "make a call wait longer.", retryAfter.orElse(null), cause);
        }

        private FeaturesUnavailableException timedOut(final URI uri, final Throwable cause) {
            return new FeaturesUnavailableException(capitalized(subject) + " are unavailable: no answer from "
                    + request(uri) + " within the request timeout of " + describe(requestTimeout)
                    + (retries == 0 ? "" : " (" + retries + (retries == 1 ? " retry" : " retries") + " included)")
                    + ". The instance may be overloaded or stuck; if answers are merely slow, raise "
                    + "FeatureClient.builder().requestTimeout(..).", null, cause);
        }

        private String request(final URI uri) {
            return (body == null ? "GET " : "POST ") + uri;
        }
    }

    private static boolean isConnectFailure(final Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof HttpConnectTimeoutException
                    || t instanceof UnresolvedAddressException) {
                return true;
            }
        }
        return false;
    }

    /** {@code Retry-After} in seconds, the form the feature store sends; an HTTP date is ignored. */
    private static Optional<Duration> retryAfter(final HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").flatMap(value -> {
            try {
                final long seconds = Long.parseLong(value.strip());
                return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
            } catch (final NumberFormatException e) {
                return Optional.empty();
            }
        });
    }

    private static String capitalized(final String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    /** Configures a {@link FeatureClient}; only a base URL is required. */
    public static final class Builder {

        private final Set<URI> baseUrls = new LinkedHashSet<>();
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private int maxRetries = DEFAULT_MAX_RETRIES;

        private Builder() {
        }

        /**
         * Adds a feature store instance, such as {@code http://10.0.0.5:8080}; call once per instance.
         * A path (a reverse proxy's prefix) is kept; a trailing slash does not matter.
         */
        public Builder baseUrl(final String baseUrl) {
            final URI uri = parseBaseUrl(baseUrl);
            if (!baseUrls.add(uri)) {
                throw new IllegalArgumentException("base URL " + uri + " is given twice; list each instance once");
            }
            return this;
        }

        public Builder baseUrls(final Collection<String> baseUrls) {
            Objects.requireNonNull(baseUrls, "baseUrls").forEach(this::baseUrl);
            return this;
        }

        /** How long to wait for a TCP connection before trying the next instance; default 1 s. */
        public Builder connectTimeout(final Duration connectTimeout) {
            this.connectTimeout = requirePositive("connectTimeout", connectTimeout);
            return this;
        }

        /** The deadline of one call, its retries and their waits included; default 2 s. */
        public Builder requestTimeout(final Duration requestTimeout) {
            this.requestTimeout = requirePositive("requestTimeout", requestTimeout);
            return this;
        }

        /**
         * How many times a call is retried after a {@code 503} (or a dropped connection); default 2,
         * 0 for none. A refused connection moves on to the next instance without counting.
         */
        public Builder maxRetries(final int maxRetries) {
            if (maxRetries < 0) {
                throw new IllegalArgumentException("maxRetries is " + maxRetries + "; use 0 for no retries");
            }
            this.maxRetries = maxRetries;
            return this;
        }

        public FeatureClient build() {
            if (baseUrls.isEmpty()) {
                throw new IllegalStateException("no base URL; call baseUrl(\"http://host:8080\") once per instance");
            }
            return new FeatureClient(this);
        }

        private static URI parseBaseUrl(final String baseUrl) {
            Objects.requireNonNull(baseUrl, "baseUrl");
            final URI uri;
            try {
                uri = new URI(baseUrl.strip());
            } catch (final URISyntaxException e) {
                throw new IllegalArgumentException("base URL '" + baseUrl + "' is not a URL: " + e.getMessage(), e);
            }
            if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())
                    || uri.getHost() == null) {
                throw new IllegalArgumentException("base URL '" + baseUrl
                        + "' must be http:// or https:// and a host, such as http://127.0.0.1:8080");
            }
            if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
                throw new IllegalArgumentException("base URL '" + baseUrl
                        + "' must have no query, fragment or user info: only scheme, host, port and path");
            }
            final String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
            return URI.create(uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getRawAuthority() + path);
        }

        private static Duration requirePositive(final String name, final Duration duration) {
            if (duration == null || duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(name + " is " + duration + "; it must be a positive duration");
            }
            return duration;
        }
    }
}
