package io.rollstream.featurestore.query;

/**
 * What an entity id may be: 1 to {@value #MAX_LENGTH} characters, none of them control characters.
 * Anything else is a caller's bug, answered with 400 rather than a silent "not found".
 */
public final class EntityIds {

    public static final int MAX_LENGTH = 256;

    private EntityIds() {
    }

    public static String requireValid(final String id) {
        if (id == null || id.isEmpty()) {
            throw FeatureQueryException.badRequest("entity id is empty; use /v1/features/{entity}/{id}");
        }
        if (id.length() > MAX_LENGTH) {
            throw FeatureQueryException.badRequest("entity id is " + id.length() + " characters; at most "
                    + MAX_LENGTH + " are allowed");
        }
        for (int i = 0; i < id.length(); i++) {
            if (Character.isISOControl(id.charAt(i))) {
                throw FeatureQueryException.badRequest("entity id contains a control character (code "
                        + (int) id.charAt(i) + ") at position " + i);
            }
        }
        return id;
    }
}
