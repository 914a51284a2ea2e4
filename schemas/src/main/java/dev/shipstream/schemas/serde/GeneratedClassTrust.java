package dev.shipstream.schemas.serde;

import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.specific.AvroGenerated;
import org.apache.avro.specific.SpecificFixed;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.avro.util.ClassSecurityValidator.ClassSecurityPredicate;

/**
 * Lets Avro instantiate the classes its own compiler generated.
 *
 * <p>Since 1.12.2, Avro loads a class named by a schema only if {@link ClassSecurityValidator} trusts it, and by
 * default it trusts no application class: reading into a generated {@code SpecificRecord} fails with
 * {@code SecurityException: Forbidden ...} unless the JVM sets {@code org.apache.avro.SERIALIZABLE_CLASSES} or
 * {@code org.apache.avro.SERIALIZABLE_PACKAGES}. {@link #install()} adds, in front of the current global
 * predicate, one that trusts exactly the classes Avro generated: annotated {@link AvroGenerated} and being a
 * {@link SpecificRecord}, a {@link SpecificFixed} or a {@link GenericEnumSymbol} enum. Those are data carriers
 * with no behaviour beyond their fields, which is why trusting them does not reopen what the validator closes
 * (arbitrary classes named through {@code java-class} properties). Every other class is left to the predicate
 * that was in force, system properties included.
 *
 * <p>{@link AvroDeserializer} installs it when configured with {@code specific.avro.reader=true}. The change is
 * JVM-wide and idempotent; an application that sets its own global predicate afterwards takes over.
 */
public final class GeneratedClassTrust {

    private GeneratedClassTrust() {
    }

    /** Trusts Avro-generated classes JVM-wide, in front of the predicate in force; does nothing the second time. */
    public static synchronized void install() {
        ClassSecurityPredicate current = ClassSecurityValidator.getGlobal();
        if (current instanceof TrustGenerated) {
            return;
        }
        ClassSecurityValidator.setGlobal(new TrustGenerated(current));
    }

    /** Whether Avro's compiler generated this class. */
    public static boolean isGenerated(Class<?> type) {
        if (!type.isAnnotationPresent(AvroGenerated.class)) {
            return false;
        }
        return SpecificRecord.class.isAssignableFrom(type)
                || SpecificFixed.class.isAssignableFrom(type)
                || (type.isEnum() && GenericEnumSymbol.class.isAssignableFrom(type));
    }

    private record TrustGenerated(ClassSecurityPredicate fallback) implements ClassSecurityPredicate {

        @Override
        public boolean isTrusted(Class<?> type) {
            return isGenerated(type) || fallback.isTrusted(type);
        }

        @Override
        public void forbiddenClass(String className) {
            fallback.forbiddenClass(className);
        }
    }
}
