package io.rollstream.devstack;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DevStackTest {

    @Test
    void shouldStartBrokerAndRegistryAndStopBothOnClose(@TempDir final Path workDir) throws Exception {
        final long registryPid;
        try (DevStack stack = DevStack.start(workDir)) {
            registryPid = stack.registry().pid();
            stack.kafka().createTopics(3, "clickstream.events");
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
                assertThat(admin.listTopics().names().get()).contains("clickstream.events");
            }
            try (HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build()) {
                final HttpResponse<String> subjects = http.send(
                        HttpRequest.newBuilder(URI.create(stack.registryUrl() + "/subjects")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(subjects.statusCode()).isEqualTo(200);
            }
            assertThat(stack.bootstrapServers()).startsWith("127.0.0.1:");
            assertThat(stack.registryUrl()).startsWith("http://127.0.0.1:");
        }
        assertThat(ProcessHandle.of(registryPid).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(workDir.resolve("kafka")).as("broker data kept").isNotEmptyDirectory();
        assertThat(workDir.resolve("registry/apicurio-registry.log")).isNotEmptyFile();
    }
}
