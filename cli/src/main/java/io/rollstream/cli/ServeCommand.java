package io.rollstream.cli;

import io.rollstream.featurestore.FeatureStoreConfig;
import io.rollstream.featurestore.FeatureStoreService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** One feature-store instance against an existing Kafka cluster and schema registry. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Run one feature-store instance against an existing Kafka cluster and schema registry.",
                "Run more instances with the same application id to spread the partitions.",
                "Settings come from --config, then -s overrides; see --list-settings."})
final class ServeCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, description = "A .properties file of settings (rollstream.* and kafka.* keys).")
    Path configFile;

    @Option(names = {"-s", "--set"}, description = "A setting as key=value; overrides the file. Repeatable.")
    Map<String, String> overrides = new HashMap<>();

    @Option(names = "--bootstrap-servers", description = "Shortcut for -s " + FeatureStoreConfig.BOOTSTRAP_SERVERS + "=...")
    String bootstrapServers;

    @Option(names = "--registry-url", description = "Shortcut for -s " + FeatureStoreConfig.REGISTRY_URL + "=...")
    String registryUrl;

    @Option(names = "--http-port", description = "Shortcut for -s " + FeatureStoreConfig.HTTP_PORT + "=...")
    Integer httpPort;

    @Option(names = "--features", description = "Shortcut for -s " + FeatureStoreConfig.FEATURES_FILE + "=...")
    String featuresFile;

    @Option(names = "--list-settings", description = "Print every setting with its default and documentation, then exit.")
    boolean listSettings;

    @Override
    public Integer call() throws Exception {
        if (listSettings) {
            System.out.println(FeatureStoreConfig.documentation());
            return 0;
        }
        final Map<String, Object> settings = new HashMap<>();
        if (configFile != null) {
            settings.putAll(load(configFile));
        }
        settings.putAll(overrides);
        putIfGiven(settings, FeatureStoreConfig.BOOTSTRAP_SERVERS, bootstrapServers);
        putIfGiven(settings, FeatureStoreConfig.REGISTRY_URL, registryUrl);
        putIfGiven(settings, FeatureStoreConfig.HTTP_PORT, httpPort == null ? null : httpPort.toString());
        putIfGiven(settings, FeatureStoreConfig.FEATURES_FILE, featuresFile);

        final CountDownLatch stopped = new CountDownLatch(1);
        final FeatureStoreConfig config = new FeatureStoreConfig(settings);
        final FeatureStoreService service = FeatureStoreService.start(config, config.featureCatalog());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            stopped.countDown();
        }, "rollstream-serve-shutdown"));
        System.out.println("API: " + service.uri());
        stopped.await();
        return 0;
    }

    private static void putIfGiven(final Map<String, Object> settings, final String key, final String value) {
        if (value != null) {
            settings.put(key, value);
        }
    }

    private static Map<String, Object> load(final Path file) throws IOException {
        final Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (final NoSuchFileException e) {
            throw new IOException("config file " + file.toAbsolutePath() + " does not exist; pass an existing "
                    + ".properties file with --config", e);
        }
        final Map<String, Object> settings = new HashMap<>();
        properties.forEach((key, value) -> settings.put(key.toString(), value));
        return settings;
    }
}
