package dev.shipstream.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shipstream.ingress.IngressConfigLoader;
import dev.shipstream.streams.StreamsSettings;
import dev.shipstream.streams.enrich.EnrichmentSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;

/**
 * The README's configuration tables are the operator's reference: they must list exactly the environment variables the
 * processes read (the keys of their {@link ConfigDef}s) with the defaults the code applies, so neither can drift.
 */
class ConfigurationReferenceTest {

    // Maven runs a module's tests in the module's directory; the README is at the root of the repository.
    private static final Path README = Path.of("..", "README.md");

    private static final Pattern ROW = Pattern.compile("^\\| `(SHIPSTREAM_[A-Z0-9_]+)` \\| ([^|]*) \\|");
    private static final Pattern CODE = Pattern.compile("^`([^`]*)`");

    private static final Map<String, ConfigDef> DEFINITIONS = Map.of(
            "ingress", IngressConfigLoader.configDef(),
            "streams", StreamsSettings.configDef(),
            "enrichment", EnrichmentSettings.configDef());

    @Test
    void readmeListsExactlyTheVariablesTheCodeReads() throws IOException {
        List<String> documented = rows().stream().map(Row::variable).toList();

        assertThat(documented).as("variables documented twice").doesNotHaveDuplicates();
        assertThat(documented).containsExactlyInAnyOrderElementsOf(definedDefaults().keySet());
    }

    @Test
    void readmeShowsTheDefaultTheCodeApplies() throws IOException {
        Map<String, Optional<String>> defaults = definedDefaults();

        for (Row row : rows()) {
            Optional<String> expected = defaults.get(row.variable());
            Matcher literal = CODE.matcher(row.defaultCell());
            if (expected.isPresent()) {
                assertThat(literal.find() ? literal.group(1) : row.defaultCell())
                        .as("README default of %s", row.variable()).isEqualTo(expected.get());
            } else {
                // A variable without a fixed default (a computed one, or none) is described in words, not as a value.
                assertThat(literal.find()).as("README default of %s should be prose: %s", row.variable(),
                        row.defaultCell()).isFalse();
            }
        }
    }

    @Test
    void aVariableSharedByTwoProcessesHasOneDefault() {
        Map<String, String> seen = new LinkedHashMap<>();
        DEFINITIONS.forEach((process, definition) -> definition.configKeys().values().forEach(key -> {
            String value = defaultOf(key).orElse("(none)");
            String earlier = seen.putIfAbsent(key.name, value);
            assertThat(earlier == null ? value : earlier).as("default of %s in %s", key.name, process)
                    .isEqualTo(value);
        }));
        assertThat(seen).containsKeys("SHIPSTREAM_KAFKA_BOOTSTRAP_SERVERS", "SHIPSTREAM_SCHEMA_REGISTRY_URL");
    }

    private static Map<String, Optional<String>> definedDefaults() {
        Map<String, Optional<String>> defaults = new LinkedHashMap<>();
        DEFINITIONS.values().forEach(definition -> definition.configKeys().values()
                .forEach(key -> defaults.put(key.name, defaultOf(key))));
        return defaults;
    }

    private static Optional<String> defaultOf(ConfigDef.ConfigKey key) {
        if (!key.hasDefault() || key.defaultValue == null) {
            return Optional.empty();
        }
        String text = ConfigDef.convertToString(key.defaultValue, key.type);
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    private static List<Row> rows() throws IOException {
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        int start = readme.indexOf("\n## Configuration\n");
        assertThat(start).as("README has a Configuration section").isNotNegative();
        int end = readme.indexOf("\n## ", start + 1);
        List<Row> rows = new ArrayList<>();
        for (String line : readme.substring(start, end < 0 ? readme.length() : end).split("\n")) {
            if (line.startsWith("| `SHIPSTREAM_")) {
                Matcher row = ROW.matcher(line);
                assertThat(row.find()).as("one variable per row: %s", line).isTrue();
                rows.add(new Row(row.group(1), row.group(2).strip()));
            }
        }
        return rows;
    }

    private record Row(String variable, String defaultCell) {
    }
}
