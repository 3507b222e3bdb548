package io.rollstream.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Turns a failed registry call into the matching {@link SchemaRegistryException}, with a message that says
 * what was asked, what the registry answered and what to do.
 *
 * <p>Registries differ in the details, so the mapping accepts all of them:
 * <ul>
 *   <li>Incompatible schema: HTTP 409 with {@code error_code} 409 (Confluent, Karapace, Apicurio) or 40901.
 *       Apicurio prefixes its message with a Java class name
 *       ({@code io.apicurio.registry.rules.violation.RuleViolationException: Incompatible artifact: ...});
 *       that prefix is dropped.
 *   <li>Invalid schema: HTTP 422 with 42201. For unparseable text Apicurio's register endpoint says only
 *       "Failed to discover artifact type from content.".
 *   <li>An unknown path: Apicurio answers 404 with an empty body, or with a RESTEasy problem document
 *       ({@code title}/{@code detail}, no {@code error_code}) when the base URL lacks
 *       {@code /apis/ccompat/v7}; Confluent answers 404 with {@code error_code} 404. A 404 without a
 *       404xx code therefore means a wrong base URL, not a missing subject.
 *   <li>Non-JSON bodies (a proxy's HTML page, Apicurio's plain-text 400) are quoted, shortened.
 * </ul>
 */
final class RegistryErrors {

    private static final int MAX_QUOTED_BODY = 300;
    private static final Pattern JAVA_EXCEPTION_PREFIX =
            Pattern.compile("^([a-z_][\\w$]*\\.)+[A-Z][\\w$]*(Exception|Error): ");
    private static final String URL_ADVICE = "Check schema.registry.url: Confluent and Karapace serve the API "
            + "at the root (http://host:8081), Apicurio Registry under /apis/ccompat/v7.";

    private RegistryErrors() {
    }

    /** The exception for an HTTP answer outside 2xx. */
    static SchemaRegistryException fromResponse(String request, String method, URI uri, int status, String body,
            ObjectMapper json) {
        int errorCode = SchemaRegistryException.NO_ERROR_CODE;
        String said = quote(body);
        try {
            JsonNode node = json.readTree(body);
            if (node != null && node.isObject()) {
                errorCode = node.path("error_code").asInt(SchemaRegistryException.NO_ERROR_CODE);
                String message = firstText(node, "message", "detail", "title");
                if (message != null) {
                    said = JAVA_EXCEPTION_PREFIX.matcher(message).replaceFirst("");
                }
            }
        } catch (IOException notJson) {
            // Not a registry error document; the raw body is quoted instead.
        }
        String asked = request + " (" + method + " " + uri + ")";
        String answered = "HTTP " + status + (errorCode == SchemaRegistryException.NO_ERROR_CODE
                ? "" : ", error_code " + errorCode) + ": " + said;
        String start = asked + " failed; the registry answered " + answered + (answered.endsWith(".") ? " " : ". ");

        if (errorCode == SubjectNotFoundException.ERROR_CODE) {
            return new SubjectNotFoundException(start + "Nothing is registered under that subject: register "
                    + "the schema first (serializers with auto.register.schemas=true do so on first send) or "
                    + "check the subject name (TopicNameStrategy: <topic>-value, <topic>-key).", status, errorCode);
        }
        if (errorCode == VersionNotFoundException.ERROR_CODE) {
            return new VersionNotFoundException(start + "The subject exists but has no such version; list its "
                    + "versions with GET /subjects/{subject}/versions.", status, errorCode);
        }
        if (errorCode == SchemaNotFoundException.ERROR_CODE) {
            return new SchemaNotFoundException(start + (uri.getPath().contains("/schemas/ids/")
                    ? "The registry has no schema with that id: the record was written against another registry "
                    + "(check schema.registry.url) or the schema was hard-deleted. The record cannot be decoded; "
                    + "dead-letter it."
                    : "That exact schema is not registered under the subject: register it, or enable "
                    + "auto.register.schemas on the serializer."), status, errorCode);
        }
        if (status == 409 || errorCode == IncompatibleSchemaException.ERROR_CODE
                || errorCode == IncompatibleSchemaException.ALTERNATIVE_ERROR_CODE) {
            return new IncompatibleSchemaException(start + "The schema breaks the subject's compatibility rule "
                    + "(GET /config/{subject}?defaultToGlobal=true shows it). Make the change compatible (e.g. give "
                    + "a new field a default) or, if the break is intended, publish to a new subject.",
                    status, errorCode);
        }
        if (errorCode == InvalidSchemaException.ERROR_CODE
                || (status == 422 && (errorCode == SchemaRegistryException.NO_ERROR_CODE || errorCode == 422))) {
            return new InvalidSchemaException(start + "The registry rejected the schema text; validate it with "
                    + "Avro's Schema.Parser and fix it.", status, errorCode);
        }
        if (status >= 500 || status == 429 || status == 408) {
            return new SchemaRegistryUnavailableException(start + "The registry is failing or overloaded; this "
                    + "is retriable: retry later, and check the registry's health and logs if it persists.",
                    status, errorCode, null);
        }
        if (status == 401 || status == 403) {
            return new SchemaRegistryException(start + "The registry refused the credentials: check "
                    + "basic.auth.user.info (user:secret) and the user's permissions.", status, errorCode);
        }
        if (status == 404) {
            return new SchemaRegistryException(start + "The registry has no such endpoint. " + URL_ADVICE,
                    status, errorCode);
        }
        return new SchemaRegistryException(start + "This client does not expect that answer; check that "
                + "schema.registry.url points at a Confluent-compatible schema registry.", status, errorCode);
    }

    /** The exception for a 2xx answer this client cannot use (not JSON, a field missing). */
    static SchemaRegistryException unexpectedAnswer(String request, String method, URI uri, int status,
            String body, String problem) {
        return new SchemaRegistryException(request + " (" + method + " " + uri + ") got HTTP " + status + " with "
                + problem + ": " + quote(body) + ". The URL does not seem to be a Confluent-compatible schema "
                + "registry. " + URL_ADVICE, status, SchemaRegistryException.NO_ERROR_CODE);
    }

    /** The exception for a call that got no answer from any of the registry's URLs. */
    static SchemaRegistryUnavailableException unreachable(String request, List<String> failures,
            Exception lastFailure) {
        return new SchemaRegistryUnavailableException(request + " got no answer: "
                + String.join("; ", failures) + ". This is retriable: check that the registry is running and "
                + "reachable at schema.registry.url, then retry.", SchemaRegistryException.NO_HTTP_STATUS,
                SchemaRegistryException.NO_ERROR_CODE, lastFailure);
    }

    /**
     * The failure's type with the first message found down its causes: the JDK's HTTP client often throws
     * a message-less {@code ConnectException} around a message-less {@code ClosedChannelException}.
     */
    static String describe(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause.getMessage() != null && !cause.getMessage().isBlank()) {
                return failure.getClass().getSimpleName() + ": " + cause.getMessage();
            }
        }
        return failure.getClass().getSimpleName();
    }

    private static String firstText(JsonNode node, String... fields) {
        for (String field : fields) {
            JsonNode value = node.get(field);
            if (value != null && value.isTextual() && !value.asText().isBlank()) {
                return value.asText();
            }
        }
        return null;
    }

    private static String quote(String body) {
        if (body == null || body.isBlank()) {
            return "(empty body)";
        }
        String oneLine = body.strip().replaceAll("\\s+", " ");
        return "'" + (oneLine.length() <= MAX_QUOTED_BODY ? oneLine : oneLine.substring(0, MAX_QUOTED_BODY) + "...")
                + "'";
    }
}
