package io.rollstream.devstack;

import java.nio.file.Path;

/** Maven coordinates in the {@code groupId:artifactId:version:type:classifier} form, and where they live in a local repository. */
record MavenArtifact(String groupId, String artifactId, String version, String type, String classifier) {

    static MavenArtifact parse(final String coordinates) {
        final String[] parts = coordinates.split(":");
        if (parts.length != 5 || coordinates.contains("${")) {
            throw new IllegalArgumentException("Expected Maven coordinates groupId:artifactId:version:type:classifier, got '"
                    + coordinates + "'. The devstack resources were probably not filtered: build the module with Maven.");
        }
        return new MavenArtifact(parts[0], parts[1], parts[2], parts[3], parts[4]);
    }

    /** The artifact's file in a local repository with Maven's default layout. */
    Path in(final Path localRepository) {
        return localRepository.resolve(groupId.replace('.', '/'))
                .resolve(artifactId)
                .resolve(version)
                .resolve(artifactId + "-" + version + "-" + classifier + "." + type);
    }

    @Override
    public String toString() {
        return groupId + ":" + artifactId + ":" + version + ":" + type + ":" + classifier;
    }
}
