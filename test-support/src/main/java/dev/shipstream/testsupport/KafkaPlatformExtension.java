package dev.shipstream.testsupport;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives integration tests a running {@link KafkaPlatform}: a parameter of that type in a test, lifecycle method or
 * constructor is resolved to the one platform of this JVM, started on first use and stopped when the JVM's tests end.
 *
 * <p>The platform is a real single-node KRaft broker from Apache Kafka's artifacts plus Shipstream's development
 * schema registry, both inside the test JVM. With {@code -Dshipstream.test.kafka=testcontainers} and a Docker engine,
 * it is Testcontainers' {@code apache/kafka} and Confluent's {@code cp-schema-registry} images instead.
 *
 * <pre>{@code
 * @ExtendWith(KafkaPlatformExtension.class)
 * class IngressIT {
 *     @Test
 *     void storesSignedRequest(KafkaPlatform platform) { ... }
 * }
 * }</pre>
 */
public final class KafkaPlatformExtension implements BeforeAllCallback, ParameterResolver {

    /** System property choosing the platform: {@code embedded} (default) or {@code testcontainers}. */
    public static final String PLATFORM_PROPERTY = "shipstream.test.kafka";

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KafkaPlatformExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        platform(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == KafkaPlatform.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return platform(extensionContext);
    }

    private static KafkaPlatform platform(ExtensionContext context) {
        // The root store lives as long as the JVM's test run and closes AutoCloseable values at its end.
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(KafkaPlatform.class, type -> startPlatform(), KafkaPlatform.class);
    }

    private static KafkaPlatform startPlatform() {
        String choice = System.getProperty(PLATFORM_PROPERTY, "embedded").trim();
        return switch (choice) {
            case "", "embedded" -> EmbeddedKafkaPlatform.start();
            case "testcontainers" -> TestcontainersKafkaPlatform.start();
            default -> throw new IllegalArgumentException(
                    PLATFORM_PROPERTY + " must be 'embedded' or 'testcontainers', was '" + choice + "'");
        };
    }
}
