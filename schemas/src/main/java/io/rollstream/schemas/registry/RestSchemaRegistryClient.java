package io.rollstream.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.apache.kafka.common.errors.InterruptException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Speaks the Confluent Schema Registry REST protocol with the JDK's HTTP client, so Rollstream needs no
 * Confluent jars (they are not on Maven Central). Works unchanged against Confluent Schema Registry,
 * Karapace and Apicurio Registry's Confluent API ({@code http://host:port/apis/ccompat/v7}); where they
 * differ, see {@link RegistryErrors} and the notes on {@link #compatibility} and {@link #isCompatible}.
 *
 * <p>Caches: schemas by id forever (ids never change meaning), and the id (and version, for
 * {@link #lookup}) of each (subject, schema) pair registered or looked up, so a serializer asks the registry
 * once per schema, not once per record. "The same schema" is Avro's {@link Schema#equals}, which ignores
 * {@code doc}. {@link #latest}, {@link #isCompatible}, the compatibility config and {@link #subjects} change
 * over time and are never cached.
 *
 * <p>With several base URLs, a call that gets no answer (refused, timed out) moves on to the next URL, as
 * Confluent's client does; an HTTP error answer, even a 5xx, is final. No call is retried: callers see
 * {@link SchemaRegistryUnavailableException} and decide. Thread-safe.
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {

    /** The Confluent protocol's content type. */
    public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** As Kafka's own {@code request.timeout.ms} default. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private static final Logger log = LoggerFactory.getLogger(RestSchemaRegistryClient.class);
    // What Confluent's own client accepts; Apicurio answers application/json.
    private static final String ACCEPT =
            CONTENT_TYPE + ", application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<URI> baseUrls;
    private final Duration requestTimeout;
    private final String authorization;
    private final HttpClient http;
    private final AtomicInteger answeringUrl = new AtomicInteger();

    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<SubjectSchema, Integer> idsBySubjectSchema = new ConcurrentHashMap<>();
    private final Map<SubjectSchema, RegisteredSchema> versionsBySubjectSchema = new ConcurrentHashMap<>();

    private RestSchemaRegistryClient(Builder builder) {
        this.baseUrls = List.copyOf(builder.baseUrls);
        this.requestTimeout = builder.requestTimeout;
        this.authorization = builder.userInfo == null ? null : "Basic " + Base64.getEncoder()
                .encodeToString(builder.userInfo.getBytes(StandardCharsets.UTF_8));
        // HTTP/1.1: an h2c upgrade gains nothing for small JSON calls and some proxies mishandle it.
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(builder.connectTimeout)
                .build();
    }

    /**
     * A builder for a client of the registry at {@code baseUrls}: one or more {@code http(s)://} URLs of the
     * same registry, e.g. {@code http://localhost:8081} or {@code http://localhost:8080/apis/ccompat/v7}.
     */
    public static Builder builder(List<String> baseUrls) {
        return new Builder(baseUrls);
    }

    /** A builder for a client of the registry at {@code baseUrl}. */
    public static Builder builder(String baseUrl) {
        return new Builder(List.of(baseUrl));
    }

    @Override
    public int register(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer cached = idsBySubjectSchema.get(key);
        if (cached != null) {
            return cached;
        }
        String request = "Registering schema " + schema.getFullName() + " under subject '" + subject + "'";
        Answer answer = call(request, "POST", "/subjects/" + encode(subject) + "/versions", schemaBody(schema));
        int id = answer.requiredInt("id");
        idsBySubjectSchema.putIfAbsent(key, id);
        schemasById.putIfAbsent(id, schema);
        log.info("Schema {} is id {} under subject '{}' at {}", schema.getFullName(), id, subject, baseUrls);
        return id;
    }

    @Override
    public Schema schemaById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        Answer answer = call("Fetching schema id " + id, "GET", "/schemas/ids/" + id, null);
        Schema schema = answer.schema();
        Schema winner = schemasById.putIfAbsent(id, schema);
        return winner == null ? schema : winner;
    }

    @Override
    public RegisteredSchema latest(String subject) {
        Answer answer = call("Fetching the latest version of subject '" + subject + "'", "GET",
                "/subjects/" + encode(subject) + "/versions/latest", null);
        RegisteredSchema latest = answer.registeredSchema(subject);
        schemasById.putIfAbsent(latest.id(), latest.schema());
        return latest;
    }

    @Override
    public RegisteredSchema lookup(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        RegisteredSchema cached = versionsBySubjectSchema.get(key);
        if (cached != null) {
            return cached;
        }
        Answer answer = call("Looking up schema " + schema.getFullName() + " under subject '" + subject + "'",
                "POST", "/subjects/" + encode(subject), schemaBody(schema));
        RegisteredSchema found = answer.registeredSchema(subject);
        versionsBySubjectSchema.putIfAbsent(key, found);
        idsBySubjectSchema.putIfAbsent(key, found.id());
        schemasById.putIfAbsent(found.id(), found.schema());
        return found;
    }

    /**
     * Confluent Schema Registry before 7.x answers 40401 for a subject with no versions; Apicurio, Karapace
     * and newer Confluent answer {@code is_compatible: true}. Both mean compatible here.
     */
    @Override
    public boolean isCompatible(String subject, Schema schema) {
        String request = "Checking schema " + schema.getFullName() + " against the latest version of subject '"
                + subject + "'";
        try {
            Answer answer = call(request, "POST", "/compatibility/subjects/" + encode(subject) + "/versions/latest",
                    schemaBody(schema));
            return answer.requiredBoolean("is_compatible");
        } catch (SubjectNotFoundException | VersionNotFoundException nothingToBreak) {
            return true;
        }
    }

    /**
     * Asks with {@code defaultToGlobal=true}: without it Confluent answers 40408 for a subject with no own
     * rule and Apicurio answers {@code NONE} even when the global rule is stricter. For a subject with no
     * versions Apicurio answers 40401 even with the flag (Confluent gives the global rule), so 40401 and
     * 40408 fall back to the global rule.
     */
    @Override
    public CompatibilityLevel compatibility(String subject) {
        if (subject == null) {
            return call("Fetching the global compatibility rule", "GET", "/config", null).compatibilityLevel();
        }
        try {
            return call("Fetching the compatibility rule of subject '" + subject + "'", "GET",
                    "/config/" + encode(subject) + "?defaultToGlobal=true", null).compatibilityLevel();
        } catch (SchemaRegistryException noSubjectRule) {
            if (noSubjectRule.errorCode() == SubjectNotFoundException.ERROR_CODE
                    || noSubjectRule.errorCode() == 40408) {
                return compatibility(null);
            }
            throw noSubjectRule;
        }
    }

    @Override
    public void setCompatibility(String subject, CompatibilityLevel level) {
        Objects.requireNonNull(level, "level");
        String body = JSON.createObjectNode().put("compatibility", level.name()).toString();
        if (subject == null) {
            call("Setting the global compatibility rule to " + level, "PUT", "/config", body);
        } else {
            call("Setting the compatibility rule of subject '" + subject + "' to " + level, "PUT",
                    "/config/" + encode(subject), body);
        }
    }

    @Override
    public List<String> subjects() {
        Answer answer = call("Listing subjects", "GET", "/subjects", null);
        if (!answer.body.isArray()) {
            throw answer.unexpected("a body that is not a JSON array of subject names");
        }
        List<String> subjects = new ArrayList<>();
        answer.body.forEach(subject -> subjects.add(subject.asText()));
        return List.copyOf(subjects);
    }

    @Override
    public void close() {
        http.close();
    }

    @Override
    public String toString() {
        return "RestSchemaRegistryClient" + baseUrls + (authorization == null ? "" : " (basic auth)");
    }

    private Answer call(String request, String method, String pathAndQuery, String body) {
        List<String> failures = new ArrayList<>();
        Exception lastFailure = null;
        int first = answeringUrl.get();
        for (int attempt = 0; attempt < baseUrls.size(); attempt++) {
            int index = (first + attempt) % baseUrls.size();
            URI uri = URI.create(baseUrls.get(index) + pathAndQuery);
            HttpResponse<String> response;
            try {
                response = http.send(httpRequest(method, uri, body), HttpResponse.BodyHandlers.ofString());
            } catch (IOException noAnswer) {
                failures.add(method + " " + uri + ": " + RegistryErrors.describe(noAnswer));
                lastFailure = noAnswer;
                continue;
            } catch (InterruptedException interrupted) {
                throw new InterruptException(request + " (" + method + " " + uri + ") was interrupted", interrupted);
            }
            answeringUrl.set(index);
            if (response.statusCode() / 100 != 2) {
                throw RegistryErrors.fromResponse(request, method, uri, response.statusCode(), response.body(), JSON);
            }
            return new Answer(request, method, uri, response.statusCode(), response.body());
        }
        throw RegistryErrors.unreachable(request, failures, lastFailure);
    }

    private HttpRequest httpRequest(String method, URI uri, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(requestTimeout)
                .header("Accept", ACCEPT)
                .method(method, body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) {
            request.header("Content-Type", CONTENT_TYPE);
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return request.build();
    }

    private static String schemaBody(Schema schema) {
        // schemaType is left out: AVRO is the default in every registry, and old Confluent versions reject it.
        return JSON.createObjectNode().put("schema", schema.toString()).toString();
    }

    private static String encode(String subject) {
        requireSubject(subject);
        // A path segment, not a form: spaces are %20, not '+'.
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static void requireSubject(String subject) {
        if (subject == null || subject.isBlank()) {
            throw new IllegalArgumentException("subject must be a non-blank string, got "
                    + (subject == null ? "null" : "'" + subject + "'"));
        }
    }

    /**
     * Checks one base URL: absolute http(s), no credentials in it (they would show up in every error
     * message and log line; basic.auth.user.info is the place), no query or fragment.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    static URI parseBaseUrl(String url) {
        URI uri;
        try {
            uri = new URI(Objects.requireNonNull(url, "url").strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + url + "' is not a URL (" + e.getMessage()
                    + "); expected e.g. http://localhost:8081", e);
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("'" + url + "' is not an http(s) URL; expected e.g. "
                    + "http://localhost:8081 (or mock://<scope> for an in-memory registry)");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("'" + url + "' has no host; expected e.g. http://localhost:8081");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("The registry URL contains credentials; put them in "
                    + "basic.auth.user.info (user:secret) instead, so they stay out of logs and error messages");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("'" + url + "' has a query or fragment; give the API's base URL, "
                    + "e.g. http://localhost:8080/apis/ccompat/v7");
        }
        String text = uri.toString();
        return URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
    }

    /** Key of the per-(subject, schema) caches. */
    private record SubjectSchema(String subject, Schema schema) {
        SubjectSchema {
            requireSubject(subject);
            Objects.requireNonNull(schema, "schema");
        }
    }

    /** A 2xx answer, with accessors that fail clearly when the registry's JSON is not what it should be. */
    private static final class Answer {
        private final String request;
        private final String method;
        private final URI uri;
        private final int status;
        private final String text;
        private final JsonNode body;

        Answer(String request, String method, URI uri, int status, String text) {
            this.request = request;
            this.method = method;
            this.uri = uri;
            this.status = status;
            this.text = text;
            try {
                this.body = JSON.readTree(text);
            } catch (IOException notJson) {
                throw unexpected("a body that is not JSON");
            }
        }

        int requiredInt(String field) {
            JsonNode value = body.path(field);
            if (!value.canConvertToInt()) {
                throw unexpected("no integer '" + field + "' in its body");
            }
            return value.intValue();
        }

        boolean requiredBoolean(String field) {
            JsonNode value = body.path(field);
            if (!value.isBoolean()) {
                throw unexpected("no boolean '" + field + "' in its body");
            }
            return value.booleanValue();
        }

        RegisteredSchema registeredSchema(String askedSubject) {
            String subject = body.path("subject").asText(askedSubject);
            return new RegisteredSchema(subject, requiredInt("id"), requiredInt("version"), schema());
        }

        Schema schema() {
            String type = body.path("schemaType").asText("AVRO");
            if (!"AVRO".equals(type)) {
                throw new SchemaRegistryException(request + " (" + method + " " + uri + ") returned a " + type
                        + " schema; Rollstream reads only Avro. The record was written by a non-Avro serializer: "
                        + "dead-letter it and fix the producer's serializer.", status,
                        SchemaRegistryException.NO_ERROR_CODE);
            }
            if (body.path("references").size() > 0) {
                throw new SchemaRegistryException(request + " (" + method + " " + uri + ") returned a schema with "
                        + "references " + body.get("references") + "; this client does not resolve schema "
                        + "references. Register the schema self-contained (nested types inline).", status,
                        SchemaRegistryException.NO_ERROR_CODE);
            }
            JsonNode schema = body.path("schema");
            if (!schema.isTextual()) {
                throw unexpected("no string 'schema' in its body");
            }
            try {
                return new Schema.Parser().parse(schema.asText());
            } catch (SchemaParseException e) {
                throw new SchemaRegistryException(request + " (" + method + " " + uri + ") returned schema text "
                        + "Avro cannot parse (" + e.getMessage() + "). The registry holds a broken schema; fix it "
                        + "there.", status, SchemaRegistryException.NO_ERROR_CODE, e);
            }
        }

        CompatibilityLevel compatibilityLevel() {
            // GET /config answers compatibilityLevel; some registries answer compatibility, as PUT does.
            String level = body.path("compatibilityLevel").asText(body.path("compatibility").asText(""));
            for (CompatibilityLevel known : CompatibilityLevel.values()) {
                if (known.name().equals(level)) {
                    return known;
                }
            }
            throw unexpected("no known compatibility level " + List.of(CompatibilityLevel.values()) + " in its body");
        }

        SchemaRegistryException unexpected(String problem) {
            return RegistryErrors.unexpectedAnswer(request, method, uri, status, text, problem);
        }
    }

    /** Settings of a {@link RestSchemaRegistryClient}; timeouts default to 5 s (connect) and 30 s (request). */
    public static final class Builder {
        private final List<URI> baseUrls = new ArrayList<>();
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private String userInfo;

        private Builder(List<String> urls) {
            if (urls == null || urls.isEmpty()) {
                throw new IllegalArgumentException("No schema registry URL given; expected e.g. "
                        + "http://localhost:8081 (Confluent, Karapace) or http://localhost:8080/apis/ccompat/v7 "
                        + "(Apicurio)");
            }
            urls.forEach(url -> baseUrls.add(parseBaseUrl(url)));
        }

        /** Basic authentication as {@code user:secret}, Confluent's {@code basic.auth.user.info}. */
        public Builder basicAuth(String userInfo) {
            if (userInfo == null || userInfo.indexOf(':') < 1) {
                // The value is not echoed: it may be a secret typed into the wrong field.
                throw new IllegalArgumentException("Basic auth user info must be 'user:secret' (a user, a colon, "
                        + "the secret)");
            }
            this.userInfo = userInfo;
            return this;
        }

        /** How long to wait for a TCP connection to the registry. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connect timeout");
            return this;
        }

        /** How long to wait for the registry's answer to one call, once connected. */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive(timeout, "request timeout");
            return this;
        }

        public RestSchemaRegistryClient build() {
            return new RestSchemaRegistryClient(this);
        }

        private static Duration positive(Duration timeout, String what) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("The " + what + " must be positive, got " + timeout);
            }
            return timeout;
        }
    }
}
