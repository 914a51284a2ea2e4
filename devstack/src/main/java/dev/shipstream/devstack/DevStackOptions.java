package dev.shipstream.devstack;

import java.nio.file.Files;
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
 * @param connectPort  the Kafka Connect worker's REST port on 127.0.0.1 (default 8083)
 * @param connectPluginPath the Connect worker's {@code plugin.path} (default {@code connectors/target/plugin}, where
 *                     the build unpacks the connectors plugin; the worker runs without it until it exists)
 */
public record DevStackOptions(Path dataDir, boolean fresh, int kafkaPort, int registryPort, int ingressPort,
                              int streamsPort, int connectPort, Path connectPluginPath) {

    public static final Path DEFAULT_CONNECT_PLUGIN_PATH = Path.of("connectors", "target", "plugin");

    public static final String USAGE = """
            Usage: ./shipstream dev [--data-dir DIR] [--fresh] [--kafka-port N] [--registry-port N]
                                    [--ingress-port N] [--streams-port N] [--connect-port N]
                                    [--connect-plugin-path DIR]
              --data-dir DIR       where Kafka and the schema registry keep their data (default ./.shipstream)
              --fresh              delete the data directory first, starting from an empty cluster
              --kafka-port N       Kafka's client port on 127.0.0.1 (default 9092)
              --registry-port N    the schema registry's port on 127.0.0.1 (default 8081)
              --ingress-port N     the webhook ingress's port on 127.0.0.1 (default 8080)
              --streams-port N     the streams app's health and metrics port on 127.0.0.1 (default 8082)
              --connect-port N     the Kafka Connect worker's REST port on 127.0.0.1 (default 8083)
              --connect-plugin-path DIR
                                   the Connect worker's plugin.path (default connectors/target/plugin)""";

    public DevStackOptions {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(connectPluginPath, "connectPluginPath");
    }

    public static DevStackOptions defaults() {
        return new DevStackOptions(Path.of(".shipstream"), false, 9092, 8081, 8080, 8082, 8083,
                DEFAULT_CONNECT_PLUGIN_PATH);
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
                case "--connect-port" -> options = options.withConnectPort(port(value(args, ++i, arg), arg));
                case "--connect-plugin-path" ->
                        options = options.withConnectPluginPath(directory(value(args, ++i, arg), arg));
                default -> throw new IllegalArgumentException("Unknown option '" + arg + "'");
            }
        }
        return options;
    }

    public DevStackOptions withDataDir(Path newDataDir) {
        return new DevStackOptions(newDataDir, fresh, kafkaPort, registryPort, ingressPort, streamsPort, connectPort,
                connectPluginPath);
    }

    public DevStackOptions withFresh(boolean newFresh) {
        return new DevStackOptions(dataDir, newFresh, kafkaPort, registryPort, ingressPort, streamsPort, connectPort,
                connectPluginPath);
    }

    public DevStackOptions withKafkaPort(int port) {
        return new DevStackOptions(dataDir, fresh, port, registryPort, ingressPort, streamsPort, connectPort,
                connectPluginPath);
    }

    public DevStackOptions withRegistryPort(int port) {
        return new DevStackOptions(dataDir, fresh, kafkaPort, port, ingressPort, streamsPort, connectPort,
                connectPluginPath);
    }

    public DevStackOptions withIngressPort(int port) {
        return new DevStackOptions(dataDir, fresh, kafkaPort, registryPort, port, streamsPort, connectPort,
                connectPluginPath);
    }

    public DevStackOptions withStreamsPort(int port) {
        return new DevStackOptions(dataDir, fresh, kafkaPort, registryPort, ingressPort, port, connectPort,
                connectPluginPath);
    }

    public DevStackOptions withConnectPort(int port) {
        return new DevStackOptions(dataDir, fresh, kafkaPort, registryPort, ingressPort, streamsPort, port,
                connectPluginPath);
    }

    public DevStackOptions withConnectPluginPath(Path path) {
        return new DevStackOptions(dataDir, fresh, kafkaPort, registryPort, ingressPort, streamsPort, connectPort,
                path);
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

    private static Path directory(String text, String option) {
        Path path = Path.of(text);
        if (!Files.isDirectory(path)) {
            throw new IllegalArgumentException(option + " must be a directory, was '" + text + "'");
        }
        return path;
    }
}
