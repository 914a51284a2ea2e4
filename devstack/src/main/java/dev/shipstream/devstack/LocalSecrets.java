package dev.shipstream.devstack;

import dev.shipstream.ingress.IngressConfigLoader;
import dev.shipstream.schemas.config.EnvironmentConfig;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The webhook secrets of the local stack's {@code default} endpoints: taken from the environment where set,
 * otherwise generated at random for this run. Generated values are shown once, in the banner, so they can be
 * pasted into a provider's webhook settings; they are never logged. There is no built-in default secret.
 */
final class LocalSecrets {

    /** The variables the ingress reads for the {@code default} endpoint of each source. */
    static final List<String> VARIABLES = List.of(IngressConfigLoader.ASC_SECRET, IngressConfigLoader.EAS_SECRET,
            IngressConfigLoader.APPFLOW_TOKEN);

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, String> environment;
    private final Map<String, String> generated;

    private LocalSecrets(Map<String, String> environment, Map<String, String> generated) {
        this.environment = environment;
        this.generated = generated;
    }

    static LocalSecrets from(Map<String, String> environment) {
        Map<String, String> completed = new LinkedHashMap<>(environment);
        Map<String, String> generated = new LinkedHashMap<>();
        // The ingress's own rule decides what counts as set (blank does not).
        Map<String, String> given = EnvironmentConfig.variables(IngressConfigLoader.configDef(), environment);
        for (String variable : VARIABLES) {
            if (!given.containsKey(variable)) {
                String secret = randomSecret();
                completed.put(variable, secret);
                generated.put(variable, secret);
            }
        }
        return new LocalSecrets(Map.copyOf(completed), Map.copyOf(generated));
    }

    /** The environment with every secret variable set. */
    Map<String, String> environment() {
        return environment;
    }

    /** Every secret variable with its value, from the environment or generated, in {@link #VARIABLES} order. */
    Map<String, String> values() {
        Map<String, String> values = new LinkedHashMap<>();
        VARIABLES.forEach(name -> values.put(name, environment.get(name)));
        return values;
    }

    /** The variables this run generated, with their values, in {@link #VARIABLES} order. */
    Map<String, String> generated() {
        Map<String, String> ordered = new LinkedHashMap<>();
        VARIABLES.stream().filter(generated::containsKey).forEach(name -> ordered.put(name, generated.get(name)));
        return ordered;
    }

    /** 32 URL-safe characters (192 random bits): long enough for Expo's 16-character minimum. */
    private static String randomSecret() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
