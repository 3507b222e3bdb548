package io.rollstream.it.support;

import io.rollstream.featurestore.FeatureStoreConfig;
import io.rollstream.featurestore.FeatureStoreService;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * A feature store as its own OS process, for tests that measure or kill the instance under test:
 * reads its settings from the properties file named by its one argument, prints
 * {@value #SERVING} and its URI once serving, and stops when its standard input closes — so it
 * never outlives the test JVM that started it, however that JVM ends.
 */
public final class ServiceMain {

    static final String SERVING = "rollstream-it: serving ";

    private ServiceMain() {
    }

    public static void main(final String[] args) throws IOException {
        final Properties settings = new Properties();
        try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
            settings.load(in);
        }
        final FeatureStoreConfig config = new FeatureStoreConfig(settings);
        final FeatureStoreService service = FeatureStoreService.start(config, config.featureCatalog());
        Runtime.getRuntime().addShutdownHook(new Thread(service::close, "service-shutdown"));
        System.out.println(SERVING + service.uri());
        System.out.flush();
        while (System.in.read() >= 0) {
            // Nothing is sent; end of input means the parent is gone or asked us to stop.
        }
        service.close();
        System.exit(0);
    }
}
