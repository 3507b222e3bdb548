package io.rollstream.featurestore.http;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The JSON mapper of the API, and the answers to a method an endpoint does not take. */
final class HttpResponses {

    static final ObjectMapper JSON = new ObjectMapper();

    private HttpResponses() {
    }

    /** @return {@code null} when the method is GET or HEAD, else the 405 to answer */
    static ApiAnswer unlessGet(final ApiRequest request) {
        if ("GET".equals(request.method()) || request.isHead()) {
            return null;
        }
        return methodNotAllowed(request, "GET, HEAD", "GET");
    }

    /** @return {@code null} when the method is POST, else the 405 to answer */
    static ApiAnswer unlessPost(final ApiRequest request) {
        if ("POST".equals(request.method())) {
            return null;
        }
        return methodNotAllowed(request, "POST", "POST");
    }

    private static ApiAnswer methodNotAllowed(final ApiRequest request, final String allow, final String use) {
        return ApiAnswer.error(405, request.method() + " is not supported on " + request.rawPath() + "; use " + use)
                .withHeader("Allow", allow);
    }
}
