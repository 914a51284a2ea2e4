package dev.shipstream.schemas.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Settings read from {@code SHIPSTREAM_*} environment variables through a Kafka {@link ConfigDef}: the one way every
 * Shipstream process reads its environment. The keys of the {@code ConfigDef} are the variables' names, so an error
 * message, the {@code ConfigDef}'s generated documentation and the README all name the same thing.
 *
 * <p>One rule for every variable: an unset variable and a blank one (empty or only whitespace) are the same, and take
 * the key's default; a docker-compose {@code VAR: ${VAR:-}} therefore means "not configured". Any other value is
 * trimmed (as {@code ConfigDef} trims what it parses) and then typed and validated by the {@code ConfigDef}. Variables
 * the {@code ConfigDef} does not define are ignored: one environment serves several processes.
 *
 * <p>An invalid value fails with an {@link IllegalArgumentException} whose message is Kafka's: it names the variable
 * and the value, e.g. {@code Invalid value 10m for configuration SHIPSTREAM_ASC_MAX_HOLD_MS: Not a number of type
 * LONG}. Secrets are defined as {@link ConfigDef.Type#PASSWORD}: their value is held as a {@link Password} and shown
 * as {@code [hidden]} in every message and {@code toString}.
 */
public class EnvironmentConfig extends AbstractConfig {

    /** The prefix of every Shipstream environment variable. */
    public static final String PREFIX = "SHIPSTREAM_";

    /**
     * Parses already-typed or string values, e.g. from {@link #variables} or from a builder.
     *
     * @param definition the keys (variable names), types, defaults and validators
     * @param values     the values given; keys absent here take their default
     * @throws ConfigException naming the key and the value when one is invalid
     */
    protected EnvironmentConfig(ConfigDef definition, Map<String, ?> values) {
        super(definition, values, false);
    }

    /**
     * Reads the variables {@code definition} defines from {@code env}.
     *
     * @param definition the keys (variable names), types, defaults and validators
     * @param env        the environment, e.g. {@link System#getenv()}
     * @return the parsed settings
     * @throws IllegalArgumentException naming the variable when a value is invalid
     */
    public static EnvironmentConfig read(ConfigDef definition, Map<String, String> env) {
        return parse(() -> new EnvironmentConfig(definition, variables(definition, env)));
    }

    /**
     * The blank-value rule: the variables of {@code env} that {@code definition} defines and that are set to something
     * other than blank, trimmed.
     *
     * @param definition the keys to pick
     * @param env        the environment
     * @return variable name to trimmed value, in the definition's order
     */
    public static Map<String, String> variables(ConfigDef definition, Map<String, String> env) {
        Map<String, String> set = new LinkedHashMap<>();
        for (String name : definition.names()) {
            String value = env.get(name);
            if (value != null && !value.isBlank()) {
                set.put(name, value.strip());
            }
        }
        return set;
    }

    /**
     * Runs a settings constructor and reports an invalid value as an {@link IllegalArgumentException} with Kafka's
     * message, the exception every Shipstream main reports as "invalid configuration".
     *
     * @param parser builds the settings
     * @param <T>    the settings type
     * @return the settings
     * @throws IllegalArgumentException with the {@link ConfigException}'s message and as its cause
     */
    public static <T> T parse(Supplier<T> parser) {
        try {
            return parser.get();
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * Whether the variable was given (set and not blank), as opposed to taking its default.
     *
     * @param name the variable
     * @return true if given
     */
    public boolean isSet(String name) {
        return originals().containsKey(name);
    }

    /**
     * A {@link ConfigDef.Type#LONG} number of milliseconds as a duration.
     *
     * @param name the variable
     * @return the duration
     */
    public Duration getMillis(String name) {
        return Duration.ofMillis(getLong(name));
    }

    /**
     * A {@link ConfigDef.Type#STRING} whose default is {@code null}, i.e. that may be absent.
     *
     * @param name the variable
     * @return the value, or empty when neither given nor defaulted
     */
    public Optional<String> getOptionalString(String name) {
        return Optional.ofNullable(getString(name));
    }

    /**
     * A {@link ConfigDef.Type#PASSWORD} whose default is {@code null}. Only the caller that needs the clear text should
     * call {@link Password#value()}.
     *
     * @param name the variable
     * @return the secret, or empty when not given
     */
    public Optional<Password> getOptionalPassword(String name) {
        return Optional.ofNullable(getPassword(name));
    }

    /**
     * A validator for a key whose default is {@code null} (computed or absent): it checks only a given value.
     *
     * @param validator the check of a given value, e.g. {@code Range.atLeast(1)}
     * @return the validator; its {@code toString}, shown in generated docs, is the given one's
     */
    public static ConfigDef.Validator whenSet(ConfigDef.Validator validator) {
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                if (value != null) {
                    validator.ensureValid(name, value);
                }
            }

            @Override
            public String toString() {
                return validator.toString();
            }
        };
    }
}
