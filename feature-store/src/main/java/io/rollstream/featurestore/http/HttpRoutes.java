package io.rollstream.featurestore.http;

import java.util.List;

/** Which endpoint answers a path: the first whose prefix the path starts with, else a 404 that lists them. */
final class HttpRoutes {

    /** An endpoint and the path prefix it answers. */
    record Route(String prefix, Endpoint endpoint) {
    }

    private final List<Route> routes;
    private final Endpoint notFound;

    HttpRoutes(final List<Route> routes, final String hint) {
        this.routes = List.copyOf(routes);
        this.notFound = request -> ApiAnswer.error(404, "no such resource " + request.rawPath() + "; try " + hint);
    }

    Endpoint endpointFor(final String rawPath) {
        for (final Route route : routes) {
            if (rawPath.startsWith(route.prefix())) {
                return route.endpoint();
            }
        }
        return notFound;
    }
}
