package dev.shipstream.devstack;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The options of {@code ./shipstream dev}, parsed once with exact error messages.
 *
 * @param dataDir      where the broker and registry keep their data (default {@code ./.shipstream})
 * @param fresh        wipe the data directory before starting
 * @param kafkaPort    the broker's client port on 127.0.0.1 (default 9092)
 * @param registryPort the schema registry's port on 127.0.0.1 (default 8081)
 * @param ingressPort  the webhook ingress's port on 127.0.0.1 (default 8080)
 * @param streamsPort  the streams app's health and metrics port on 127.0.0.1 (default 8082)
 */
public record DevStackOptions(Path dataDir, boolean fresh, int kafkaPort, int registryPort, int ingressPort,
                              int streamsPort) {

    public static final String USAGE = """
            Usage: ./shipstream dev [--data-dir DIR] [--fresh] [--kafka-port N] [--registry-port N]
                                    [--ingress-port N] [--streams-port N]
              --data-dir DIR       where Kafka and the schema registry keep their data (default ./.shipstream)
              --fresh              delete the data directory first, starting from an empty cluster
              --kafka-port N       Kafka's client port on 127.0.0.1 (default 9092)
              --registry-port N    the schema registry's port on 127.0.0.1 (default 8081)
              --ingress-port N     the webhook ingress's port on 127.0.0.1 (default 8080)
              --streams-port N     the streams app's health and metrics port on 127.0.0.1 (default 8082)""";

    public DevStackOptions {
        Objects.requireNonNull(dataDir, "dataDir");
    }

    public static DevStackOptions defaults() {
        return new DevStackOptions(Path.of(".shipstream"), false, 9092, 8081, 8080, 8082);
    }

    /** Parses the arguments after {@code dev}; throws {@link IllegalArgumentException} with a message for the user. */
    public static DevStackOptions parse(List<String> args) {
        DevStackOptions options = defaults();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--fresh" -> options = options.withFresh(true);
                case "--data-dir" -> options = options.withDataDir(Path.of(value(args, ++i, arg)));
                case "--kafka-port" -> options = options.withKafkaPort(port(value(args, ++i, arg), arg));
                case "--registry-port" -> options = options.withRegistryPort(port(value(args, ++i, arg), arg));
                case "--ingress-port" -> options = options.withIngressPort(port(value(args, ++i, arg), arg));
                case "--streams-port" -> options = options.withStreamsPort(port(value(args, ++i, arg), arg));
                default -> throw new IllegalArgumentException("Unknown option '" + arg + "'");
            }
        }
        return options;
    }

    public DevStackOptions withDataDir(Path newDataDir) {
        return new DevStackOptions(newDataDir, fresh, kafkaPort, registryPort, ingressPort, streamsPort);
    }

    public DevStackOptions withFresh(boolean newFresh) {
        return new DevStackOptions(dataDir, newFresh, kafkaPort, registryPort, ingressPort, streamsPort);
    }

    public DevStackOptions withKafkaPort(int port) {
        return new DevStackOptions(dataDir, fresh, port, registryPort, ingressPort, streamsPort);
    }

    public DevStackOptions withRegistryPort(int port) {
        return new DevStackOptions(dataDir, fresh, kafkaPort, port, ingressPort, streamsPort);
    }

    public DevStackOptions withIngressPort(int port) {
        return new DevStackOptions(dataDir, fresh, kafkaPort, registryPort, port, streamsPort);
    }

    public DevStackOptions withStreamsPort(int port) {
        return new DevStackOptions(dataDir, fresh, kafkaPort, registryPort, ingressPort, port);
    }

    private static String value(List<String> args, int index, String option) {
        if (index >= args.size() || args.get(index).startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.get(index);
    }

    private static int port(String text, String option) {
        try {
            int port = Integer.parseInt(text);
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException(option + " must be a port between 1 and 65535, was " + text);
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a port between 1 and 65535, was '" + text + "'", e);
        }
    }
}
