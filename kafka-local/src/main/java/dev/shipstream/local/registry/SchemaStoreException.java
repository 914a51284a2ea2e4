package dev.shipstream.local.registry;

/** A {@link SchemaStore} could not read or write its log; the registry answers it as a store error (50001). */
public class SchemaStoreException extends RuntimeException {

    public SchemaStoreException(String message) {
        super(message);
    }

    public SchemaStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
