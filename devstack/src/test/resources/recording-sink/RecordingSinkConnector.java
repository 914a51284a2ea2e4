package dev.shipstream.devstack.testplugin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkConnector;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;

/**
 * A test-only sink, compiled and packaged by ConnectWorkerIT into a plugin directory (it is on no classpath): each
 * record becomes one line "key TAB eventId TAB class loader of the task" appended to {@code output.file}. The value
 * the task was given for {@code echo}, if any, is written to {@code output.file} + ".echo" when it starts.
 */
public class RecordingSinkConnector extends SinkConnector {

    public static final String OUTPUT_FILE_CONFIG = "output.file";
    public static final String ECHO_CONFIG = "echo";
    private static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(OUTPUT_FILE_CONFIG, ConfigDef.Type.STRING, ConfigDef.Importance.HIGH, "Where records are appended.")
            .define(ECHO_CONFIG, ConfigDef.Type.STRING, null, ConfigDef.Importance.LOW, "Written out as the task got it.");

    private Map<String, String> props;

    @Override
    public void start(Map<String, String> props) {
        this.props = props;
    }

    @Override
    public Class<? extends Task> taskClass() {
        return RecordingTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return Collections.nCopies(maxTasks, props);
    }

    @Override
    public void stop() {
    }

    @Override
    public ConfigDef config() {
        return CONFIG_DEF;
    }

    @Override
    public String version() {
        return "1.0-test";
    }

    /** Appends one line per record. */
    public static class RecordingTask extends SinkTask {

        private Path output;

        @Override
        public void start(Map<String, String> props) {
            output = Path.of(props.get(OUTPUT_FILE_CONFIG));
            if (props.containsKey(ECHO_CONFIG)) {
                try {
                    Files.writeString(Path.of(output + ".echo"), props.get(ECHO_CONFIG), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }

        @Override
        public void put(Collection<SinkRecord> records) {
            StringBuilder lines = new StringBuilder();
            for (SinkRecord record : records) {
                Struct value = (Struct) record.value();
                lines.append(record.key()).append('\t').append(value.getString("eventId")).append('\t')
                        .append(getClass().getClassLoader().getClass().getName()).append('\n');
            }
            try {
                Files.writeString(output, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void stop() {
        }

        @Override
        public String version() {
            return "1.0-test";
        }
    }
}
