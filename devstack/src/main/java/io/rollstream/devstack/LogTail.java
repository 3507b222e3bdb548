package io.rollstream.devstack;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** The last lines of a log file, read from its end so a long-running child's big log costs nothing. */
final class LogTail {

    private static final int MAX_BYTES = 64 * 1024;

    private LogTail() {
    }

    static String lastLines(final Path file, final int lines) {
        try (SeekableByteChannel channel = Files.newByteChannel(file)) {
            final long size = channel.size();
            final int length = (int) Math.min(size, MAX_BYTES);
            final ByteBuffer buffer = ByteBuffer.allocate(length);
            channel.position(size - length);
            int read;
            do {
                read = channel.read(buffer);
            } while (read >= 0 && buffer.hasRemaining());
            final List<String> all = Arrays.asList(new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).split("\\R"));
            return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }
}
